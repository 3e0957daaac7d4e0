using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Phase4.Backend.RateLimiting;

public static partial class RateLimitSetup
{
    /// <summary>The policy chat endpoints attach with <c>RequireRateLimiting</c>: the account's chat turns in progress.</summary>
    public const string ChatPolicy = "chat";

    /// <summary>The policy of <c>POST /api/auth/mcp-token</c>: the account's MCP token mints.</summary>
    public const string McpTokenPolicy = "mcp-token";

    /// <summary>
    /// Per-address buckets for sign-in and sign-up, then per-account and anonymous concurrency limits, and the chat
    /// policy (see <see cref="RateLimitOptions"/>), validated at start-up.
    /// </summary>
    public static WebApplicationBuilder AddRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitOptions.SectionName))
            .Validate(o => o.IsValid(),
                "RateLimits: concurrency limits must be at least 1, queues at least 0, SignIn, SignUp and McpTokens need Burst >= 1 and " +
                "ReplenishEvery between 1 ms and 1 day, CredentialsReadTimeout between 0 and 30 s (exclusive of 0), RetryAfter between 1 s and 1 h.")
            .ValidateOnStart();

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
        {
            var options = limits.Value;
            // The address bucket first: a flood from one address is refused there, before it can queue for the
            // hashing slots everyone else needs.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartitions.ForAddress(http, options)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartitions.For(http, options)));
            limiter.AddPolicy(ChatPolicy, http => RateLimitPartitions.ForChat(http, options));
            limiter.AddPolicy(McpTokenPolicy, http => RateLimitPartitions.ForMcpTokens(http, options));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, cancellationToken) => RejectAsync(context.HttpContext,
                context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var bucketRetryAfter) ? bucketRetryAfter : options.RetryAfter);
        });
        return builder;
    }

    /// <summary>After authentication, so requests are partitioned by the token's account.</summary>
    public static WebApplication UseRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask RejectAsync(HttpContext http, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitSetup)), http.Request.Path);
        var detail = http.GetEndpoint()?.Metadata.GetMetadata<CredentialsEndpoint>() is { } endpoint
            ? $"Too many {endpoint.Pool} requests from your address or in progress; retry after the Retry-After delay."
            : http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == McpTokenPolicy
                ? "Too many MCP tokens minted for this account; retry after the Retry-After delay."
                : "Too many requests in progress; retry after the Retry-After delay.";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = detail,
            },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a request to {Path} with 429: over its rate or concurrency limit")]
    private static partial void LogRejected(ILogger logger, PathString path);
}
