using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Reads the whole body of a sign-in or sign-up request into memory within
/// <see cref="RateLimitOptions.CredentialsReadTimeout"/>, before authentication and the rate limiter run. A client
/// that trickles its body therefore never holds one of the hashing slots everyone shares, and is answered 408 after
/// that time instead of at the request timeout. Kestrel's body size limit still applies (413).
/// </summary>
internal static partial class CredentialsBodyReader
{
    public static IApplicationBuilder UseCredentialsBodyReader(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.GetEndpoint()?.Metadata.GetMetadata<CredentialsEndpoint>() is null)
            {
                await next(http);
                return;
            }

            var timeout = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.CredentialsReadTimeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            deadline.CancelAfter(timeout);
            http.Request.EnableBuffering(bufferThreshold: (int)Http.HttpSetup.MaxRequestBodyBytes);
            try
            {
                await http.Request.Body.DrainAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                LogSlowBody(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CredentialsBodyReader)), http.Request.Path);
                http.Response.StatusCode = StatusCodes.Status408RequestTimeout;
                http.Response.Headers.Connection = "close";
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status408RequestTimeout,
                        Detail = $"The request body did not arrive within {timeout.TotalSeconds:0.#} s.",
                    },
                });
                return;
            }

            http.Request.Body.Position = 0;
            await next(http);
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 408 to {Path}: its body did not arrive in time")]
    private static partial void LogSlowBody(ILogger logger, PathString path);
}
