using System.Threading.RateLimiting;
using Phase4.Backend.Http;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Which limiters a request counts against: first its client address's token bucket for sign-in or sign-up (else
/// none), then its account's concurrency (chat or the rest), the anonymous one, or none.
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

        var userId = http.User.GetUserId();
        if (userId == Guid.Empty)
        {
            return Concurrency("anonymous", options.AnonymousConcurrency, options.AnonymousQueue);
        }

        var account = userId.ToString("D");
        return IsChat(path)
            ? Concurrency("chat:" + account, options.ChatConcurrency, options.ChatQueue)
            : Concurrency("account:" + account, options.AccountConcurrency, options.AccountQueue);
    }

    /// <summary><c>/api/{user_id}/chat</c> and anything under it.</summary>
    public static bool IsChat(PathString path)
    {
        var segments = (path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length >= 3 && string.Equals(segments[2], "chat", StringComparison.OrdinalIgnoreCase);
    }

    private static RateLimitPartition<string> Concurrency(string key, int permits, int queue) =>
        RateLimitPartition.GetConcurrencyLimiter(key, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = permits,
            QueueLimit = queue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
}
