using System.Threading.RateLimiting;
using Phase4.Backend.Http;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Which limiters a request counts against: first its client address's token bucket for sign-in or sign-up (else
/// none), then its account's concurrency, the anonymous one, or none; a chat turn also its account's chat concurrency
/// (the endpoint's own policy, <see cref="RateLimitSetup.ChatPolicy"/>).
/// </summary>
internal static class RateLimitPartitions
{
    /// <summary>The sign-in or sign-up bucket of the request's client address; no limit for other endpoints.</summary>
    public static RateLimitPartition<string> ForAddress(HttpContext http, RateLimitOptions options)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<CredentialsEndpoint>() is not { } endpoint)
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var bucket = endpoint == CredentialsEndpoint.SignIn ? options.SignIn : options.SignUp;
        return RateLimitPartition.GetTokenBucketLimiter(endpoint.Pool + " " + ClientAddress.KeyOf(http), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = bucket.ReplenishEvery,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public static RateLimitPartition<string> For(HttpContext http, RateLimitOptions options)
    {
        var path = http.Request.Path;
        // Probes, JWKS and anything outside the API are cheap and must never be refused (readiness would flap).
        if (!path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        // Sign-in and sign-up hash a password whoever asks: a bearer token sent along must not move them out of the
        // shared hashing pool into the caller's own account budget.
        var userId = http.User.GetUserId();
        if (userId == Guid.Empty || http.GetEndpoint()?.Metadata.GetMetadata<CredentialsEndpoint>() is not null)
        {
            return Concurrency("anonymous", options.AnonymousConcurrency, options.AnonymousQueue);
        }

        return Concurrency("account:" + userId.ToString("D"), options.AccountConcurrency, options.AccountQueue);
    }

    /// <summary>The account's chat turns in progress; an anonymous request is left to authorization (401).</summary>
    public static RateLimitPartition<string> ForChat(HttpContext http, RateLimitOptions options) =>
        http.User.GetUserId() is var userId && userId == Guid.Empty
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : Concurrency("chat:" + userId.ToString("D"), options.ChatConcurrency, options.ChatQueue);

    /// <summary>The account's MCP token mints; an anonymous request is left to authorization (401).</summary>
    public static RateLimitPartition<string> ForMcpTokens(HttpContext http, RateLimitOptions options) =>
        http.User.GetUserId() is var userId && userId == Guid.Empty
            ? RateLimitPartition.GetNoLimiter("unlimited")
            : RateLimitPartition.GetTokenBucketLimiter("mcp-tokens:" + userId.ToString("D"), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = options.McpTokens.Burst,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = options.McpTokens.ReplenishEvery,
                QueueLimit = 0,
                AutoReplenishment = true,
            });

    private static RateLimitPartition<string> Concurrency(string key, int permits, int queue) =>
        RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
}
