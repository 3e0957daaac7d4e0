using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Phase4.Backend.Database;

namespace Phase4.Backend.Http;

/// <summary>
/// Turns the exceptions a request can legitimately cause into ProblemDetails: binding failures (malformed JSON, wrong
/// types, unparsable route or query values, oversized bodies) into 4xx naming the field, an unreachable database into
/// 503. Everything else stays a 500 with no details.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem;
        if (exception is BadHttpRequestException badRequest)
        {
            LogBadRequest(logger, badRequest.StatusCode, httpContext.Request.Path);
            problem = FromBadRequest(badRequest);
        }
        else if (DatabaseFailures.IsUnavailable(exception))
        {
            LogDatabaseUnavailable(logger, exception.GetType().Name, exception.InnerException?.GetType().Name);
            httpContext.Response.Headers.RetryAfter = "5";
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Detail = "The database is unavailable; retry shortly.",
            };
        }
        else if (DatabaseFailures.IsMissingAccount(exception))
        {
            // A valid token whose account is gone (e.g. the database was reset): the caller must sign in again.
            problem = new ProblemDetails { Status = StatusCodes.Status401Unauthorized, Detail = "The account no longer exists." };
        }
        else
        {
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static HttpValidationProblemDetails FromBadRequest(BadHttpRequestException exception)
    {
        if (BodyError(exception.StatusCode) is { } bodyError)
        {
            return Problem(exception.StatusCode, "body", bodyError);
        }

        if (exception.InnerException is JsonException json)
        {
            var field = FieldFromJsonPath(json.Path);
            return Problem(exception.StatusCode, field,
                field == "body" ? "The request body is not valid JSON of the expected shape." : $"{field} has an invalid value or type.");
        }

        var parameter = ParameterName().Match(exception.Message);
        if (!parameter.Success)
        {
            return Problem(exception.StatusCode, "request", "The request is malformed.");
        }

        var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(parameter.Groups["name"].Value);
        return exception.Message.Contains("no body was provided", StringComparison.Ordinal)
            || exception.Message.Contains("from body", StringComparison.Ordinal)
            ? Problem(exception.StatusCode, "body", "A JSON request body is required.")
            : Problem(exception.StatusCode, name, $"{name} has an invalid value.");
    }

    /// <summary>Why the body as a whole was refused, for the statuses that mean that; else null.</summary>
    public static string? BodyError(int statusCode) => statusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => $"The request body must be at most {HttpSetup.MaxRequestBodyBytes} bytes.",
        StatusCodes.Status415UnsupportedMediaType => "The request body must be JSON (Content-Type: application/json).",
        _ => null,
    };

    /// <summary>"$.title" → "title", "$.items[2].name" → "items[2].name"; the root itself is "body".</summary>
    private static string FieldFromJsonPath(string? path)
    {
        var field = path is null ? string.Empty : path.TrimStart('$').TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    private static HttpValidationProblemDetails Problem(int status, string field, string error) =>
        new(new Dictionary<string, string[]> { [field] = [error] })
        {
            Status = status,
            Title = status == StatusCodes.Status400BadRequest ? "One or more validation errors occurred." : null,
        };

    // Minimal APIs word binding failures as: Failed to bind parameter "int id" from "abc". (or parameter "body").
    [GeneratedRegex("parameter \"(?:[^\" ]+ )?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a malformed request ({StatusCode}) to {Path}")]
    private static partial void LogBadRequest(ILogger logger, int statusCode, PathString path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable ({Exception} / {Inner}): answering 503")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string exception, string? inner);
}
