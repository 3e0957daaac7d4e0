using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Phase4.Backend.Http;

/// <summary>The ProblemDetails answers the API gives; validation errors are keyed by the snake_case field name.</summary>
public static class ApiProblems
{
    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    public static ProblemHttpResult Status(int statusCode, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: statusCode);

    /// <summary>
    /// 429 for an account over one of its quotas (<c>Quotas</c> section), with <c>Retry-After</c> when waiting helps
    /// (a sliding window) and without it when only deleting something does (a count).
    /// </summary>
    public static ProblemHttpResult QuotaExceeded(HttpContext http, TimeSpan? retryAfter, string detail)
    {
        if (retryAfter is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Quota exceeded");
    }
}
