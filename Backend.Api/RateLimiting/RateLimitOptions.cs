namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Overload and abuse protection (section <c>RateLimits</c>). Requests past these limits are refused at once with 429
/// and <c>Retry-After</c> rather than queued into time-outs. Signed-in requests are limited per account (the token's
/// <c>sub</c>). Sign-in and sign-up are limited per client address first (token buckets, a separate pool each; the
/// address is the proxy's <c>X-Forwarded-For</c> only from a trusted proxy, see <c>ClientAddress</c>), then share
/// one concurrency limit for the password hashing they do.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests one account may have in progress at once (the benchmark's 32 connections fit easily).</summary>
    public int AccountConcurrency { get; set; } = 64;

    /// <summary>Requests of one account that may wait briefly for a slot before being refused.</summary>
    public int AccountQueue { get; set; } = 16;

    /// <summary>
    /// Chat turns one account may have in progress at once: each may call the model and several tools. A turn also
    /// holds one of the account's <see cref="AccountConcurrency"/> slots.
    /// </summary>
    public int ChatConcurrency { get; set; } = 2;

    public int ChatQueue { get; set; } = 2;

    /// <summary>
    /// Sign-in and sign-up requests (all addresses together) hashing a password at once: one per core, since a check
    /// keeps one core busy for its whole time (about 160 ms at 210,000 PBKDF2 iterations, bench/sign-in.sh) and more
    /// at once would only make each slower.
    /// </summary>
    public int AnonymousConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Those that may wait for a check: 32 per core, about 5 s of checks, so a waiting sign-in is answered well inside
    /// the 10 s request time-out; past it, 429 at once.
    /// </summary>
    public int AnonymousQueue { get; set; } = 32 * Environment.ProcessorCount;

    /// <summary>Sign-in attempts per client address: 20 at once, then one more every 3 s (20 a minute).</summary>
    public AddressBucket SignIn { get; set; } = new() { Burst = 20, ReplenishEvery = TimeSpan.FromSeconds(3) };

    /// <summary>Sign-ups per client address: 20 at once, then one more every 3 minutes (20 an hour).</summary>
    public AddressBucket SignUp { get; set; } = new() { Burst = 20, ReplenishEvery = TimeSpan.FromMinutes(3) };

    /// <summary>
    /// MCP tokens one account may mint (<c>POST /api/auth/mcp-token</c>): 10 at once, then one every 6 minutes. Each
    /// is a distinct bearer credential the MCP server validates and remembers; unlimited minting would let one account
    /// fill that cache and keep many long-lived credentials alive.
    /// </summary>
    public AddressBucket McpTokens { get; set; } = new() { Burst = 10, ReplenishEvery = TimeSpan.FromMinutes(6) };

    /// <summary>
    /// The time a sign-in or sign-up request has to send its whole body. The body is read before any limit admits the
    /// request, so a client trickling it holds no slot, and is answered 408 after this time.
    /// </summary>
    public TimeSpan CredentialsReadTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>What <c>Retry-After</c> tells a client refused by a concurrency limit.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsValid() =>
        AccountConcurrency >= 1 && ChatConcurrency >= 1 && AnonymousConcurrency >= 1
        && AccountQueue >= 0 && ChatQueue >= 0 && AnonymousQueue >= 0
        && SignIn.IsValid() && SignUp.IsValid() && McpTokens.IsValid()
        && CredentialsReadTimeout > TimeSpan.Zero && CredentialsReadTimeout <= TimeSpan.FromSeconds(30)
        && RetryAfter >= TimeSpan.FromSeconds(1) && RetryAfter <= TimeSpan.FromHours(1);
}

/// <summary>A token bucket per client address (or account): <see cref="Burst"/> requests at once, then one per <see cref="ReplenishEvery"/>.</summary>
public sealed class AddressBucket
{
    public int Burst { get; set; }

    public TimeSpan ReplenishEvery { get; set; }

    public bool IsValid() => Burst >= 1 && ReplenishEvery >= TimeSpan.FromMilliseconds(1) && ReplenishEvery <= TimeSpan.FromDays(1);
}
