namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Overload protection (section <c>RateLimits</c>). Requests past these limits are refused at once with 429 and
/// <c>Retry-After</c> rather than queued into time-outs. Signed-in requests are limited per account (the token's
/// <c>sub</c>), never per client address, because every request arrives through the frontend's proxy; anonymous
/// requests (sign-up, sign-in: password hashing) share one concurrency limit.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests one account may have in progress at once (the benchmark's 32 connections fit easily).</summary>
    public int AccountConcurrency { get; set; } = 64;

    /// <summary>Requests of one account that may wait briefly for a slot before being refused.</summary>
    public int AccountQueue { get; set; } = 16;

    /// <summary>Chat turns one account may have in progress at once: each may call the model and several tools.</summary>
    public int ChatConcurrency { get; set; } = 2;

    public int ChatQueue { get; set; } = 2;

    /// <summary>Anonymous requests (all accounts together) in progress at once.</summary>
    public int AnonymousConcurrency { get; set; } = 32;

    public int AnonymousQueue { get; set; } = 128;

    /// <summary>What <c>Retry-After</c> tells a refused client.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsValid() =>
        AccountConcurrency >= 1 && ChatConcurrency >= 1 && AnonymousConcurrency >= 1
        && AccountQueue >= 0 && ChatQueue >= 0 && AnonymousQueue >= 0
        && RetryAfter >= TimeSpan.FromSeconds(1) && RetryAfter <= TimeSpan.FromHours(1);
}
