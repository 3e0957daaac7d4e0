using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;
using Phase4.Backend.RateLimiting;
using Phase4.Domain.Data;

namespace Phase4.Backend.Http;

public static class HttpSetup
{
    /// <summary>Requests larger than this are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>No request may wait on the database longer than this; it answers 503 instead.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>snake_case source-generated JSON, size limits, ProblemDetails for every error, bounded request time.</summary>
    public static WebApplicationBuilder AddHttpApi(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });

        builder.Services.AddSingleton<IWarmUp, HttpWarmUp>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        });

        // Binding failures (malformed JSON, wrong types, bad route values) throw, so ApiExceptionHandler can name the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            // Minimal APIs answer oversized or non-JSON bodies without throwing; name the field here too.
            if (context.ProblemDetails.Status is { } status && ApiExceptionHandler.BodyError(status) is { } bodyError
                && context.ProblemDetails is not HttpValidationProblemDetails)
            {
                context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { ["body"] = [bodyError] };
            }
        });
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();

        builder.Services.AddRequestTimeouts(options => options.DefaultPolicy = TimeoutPolicy(RequestTimeout));
        return builder;
    }

    /// <summary>
    /// A request still running after <paramref name="timeout"/> is answered 503 with <c>Retry-After</c> and ProblemDetails,
    /// like every other "not now" of the API.
    /// </summary>
    public static RequestTimeoutPolicy TimeoutPolicy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        WriteTimeoutResponse = async context =>
        {
            context.Response.Headers.RetryAfter = "5";
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Detail = "The request took too long; retry shortly.",
                },
            });
        },
    };

    /// <summary>Error handling first, so everything after it answers ProblemDetails, never a bare 500.</summary>
    public static WebApplication UseHttpApi(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // Expected client and database faults are handled and logged briefly by ApiExceptionHandler.
            SuppressDiagnosticsCallback = context => context.ExceptionHandledBy == ExceptionHandledType.ExceptionHandlerService,
        });
        app.UseStatusCodePages();
        app.UseRouting();
        // Past capacity a request is refused here, before it costs a token check or a wait for a connection.
        app.UseAdmission("/api");
        app.UseRequestTimeouts();
        app.UseCredentialsBodyReader();
        app.UseAuthentication();
        app.UseRateLimits();
        app.UseAuthorization();
        return app;
    }
}
