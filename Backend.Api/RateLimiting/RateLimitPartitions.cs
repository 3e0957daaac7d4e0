using System.Threading.RateLimiting;
using Phase4.Backend.Auth;

namespace Phase4.Backend.RateLimiting;

/// <summary>Which limiter a request counts against: its account's (chat or the rest), the anonymous one, or none.</summary>
internal static class RateLimitPartitions
{
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
