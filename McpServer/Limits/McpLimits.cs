using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Mcp.Limits;

/// <summary>
/// The MCP endpoint's limits (<see cref="McpLimitOptions"/>): the body size and read deadline, per account a token
/// bucket of tool calls and a concurrency limit with a short queue, and a request time-out. The MCP C# SDK leaves
/// these to the host ("apply HTTP rate-limiting middleware", its stateless-mode guide), so they are ASP.NET Core's own
/// rate limiter and request time-outs, answered as <see cref="McpErrors"/> says.
/// </summary>
public static partial class McpLimits
{
    public const string TimeoutPolicy = "mcp";

    public static bool IsMcpPath(PathString path) => path.StartsWithSegments("/mcp", StringComparison.OrdinalIgnoreCase);

    public static WebApplicationBuilder AddMcpLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<McpLimitOptions>()
            .Bind(builder.Configuration.GetSection(McpLimitOptions.SectionName))
            .Validate(o => o.IsValid(),
                "RateLimits: AccountConcurrency must be at least 1 and AccountQueue at least 0, ToolCalls needs Burst >= 1 and " +
                "ReplenishEvery between 1 ms and 1 h, BodyReadTimeout between 0 and 30 s (exclusive of 0), RequestTimeout " +
                "between 1 s and 10 min, RetryAfter between 1 s and 1 h.")
            .ValidateOnStart();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = McpLimitOptions.MaxRequestBodyBytes;
        });

        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<McpLimitOptions>>((timeouts, limits) =>
            timeouts.AddPolicy(TimeoutPolicy, new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
                WriteTimeoutResponse = http => McpErrors.WriteAsync(http, StatusCodes.Status503ServiceUnavailable,
                    $"The request took longer than {limits.Value.RequestTimeout.TotalSeconds:0.#} s.", retryAfter: limits.Value.RetryAfter),
            }));

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<McpLimitOptions>>((limiter, limits) =>
        {
            var options = limits.Value;
            // The tool-call bucket first: a call over the rate is refused at once, without waiting for a slot.
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => ToolCalls(http, options)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => InProgress(http, options)));
            limiter.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                var bucket = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var bucketRetryAfter);
                LogRejected(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpLimits)), bucket ? "tool-call rate" : "concurrency");
                return new ValueTask(McpErrors.WriteAsync(http, StatusCodes.Status429TooManyRequests,
                    bucket
                        ? "Too many tool calls for this account; retry after the Retry-After delay."
                        : "Too many MCP requests of this account in progress; retry after the Retry-After delay.",
                    bucket ? bucketRetryAfter : options.RetryAfter));
            };
        });
        return builder;
    }

    /// <summary>After authentication and authorization (the limits count per account), before the MCP endpoint.</summary>
    public static WebApplication UseMcpLimits(this WebApplication app)
    {
        app.UseMcpRequestBody();
        app.UseRequestTimeouts();
        app.UseRateLimiter();
        return app;
    }

    private static RateLimitPartition<string> ToolCalls(HttpContext http, McpLimitOptions options) =>
        AccountOf(http) is { } account && http.Features.Get<McpMessage>() is { CountsAsToolCall: true }
            ? RateLimitPartition.GetTokenBucketLimiter("tools:" + account, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.ToolCalls.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = options.ToolCalls.ReplenishEvery,
                QueueLimit = 0,
                AutoReplenishment = true,
            })
            : RateLimitPartition.GetNoLimiter("unlimited");

    private static RateLimitPartition<string> InProgress(HttpContext http, McpLimitOptions options) =>
        AccountOf(http) is { } account && IsMcpPath(http.Request.Path)
            ? RateLimitPartition.GetConcurrencyLimiter("account:" + account, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = options.AccountConcurrency,
                QueueLimit = options.AccountQueue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })
            : RateLimitPartition.GetNoLimiter("unlimited");

    private static string? AccountOf(HttpContext http) =>
        http.User.GetUserId() is var id && id != Guid.Empty ? id.ToString("D") : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused an MCP request with 429: over the account's {Limit} limit")]
    private static partial void LogRejected(ILogger logger, string limit);
}
