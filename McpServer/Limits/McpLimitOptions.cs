using Phase4.Domain.Tasks;

namespace Phase4.Mcp.Limits;

/// <summary>
/// What one account may ask of the MCP server (section <c>RateLimits</c>), so no account can take the server from
/// the others: past a limit the answer is 429 with <c>Retry-After</c> at once, never a queue into time-outs. Requests
/// are limited per account (the token's <c>sub</c>); unauthenticated ones are answered 401 before any of this.
/// </summary>
public sealed class McpLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// The largest legal message: <c>update_task</c> with a 200-character title, a 1000-character description and a
    /// <c>user_id</c> is at most 7.4 KB even with every character written as a <c>\uXXXX</c> escape; the rest holds
    /// the JSON-RPC envelope and any <c>_meta</c> a client adds. A larger body is refused (413) before it is read.
    /// </summary>
    public const int MaxRequestBodyBytes = 16 * 1024;

    /// <summary>The escaped arguments of the largest legal call (6 bytes per character, a GUID's 36 for user_id).</summary>
    public const int LargestLegalArgumentsBytes = (TaskRules.TitleMaxLength + TaskRules.DescriptionMaxLength + 36) * 6;

    /// <summary>MCP requests of one account in progress at once (a chat turn makes one at a time).</summary>
    public int AccountConcurrency { get; set; } = 4;

    /// <summary>Requests of one account that may wait briefly for a slot before being refused.</summary>
    public int AccountQueue { get; set; } = 8;

    /// <summary>
    /// <c>tools/call</c> requests per account: 30 at once, then one every 2 s (30 a minute), as the MCP specification
    /// asks of servers ("rate limit tool invocations"). Other messages (initialize, tools/list) only count against
    /// the concurrency limit.
    /// </summary>
    public ToolCallBucket ToolCalls { get; set; } = new() { Burst = 30, ReplenishEvery = TimeSpan.FromSeconds(2) };

    /// <summary>The time a request's whole body has to arrive, before any limit admits it; 408 after it.</summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest one request may take, waiting for a slot included; 503 after it.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What <c>Retry-After</c> tells a client refused by the concurrency limit.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    public bool IsValid() =>
        AccountConcurrency >= 1 && AccountQueue >= 0 && ToolCalls.IsValid()
        && BodyReadTimeout > TimeSpan.Zero && BodyReadTimeout <= TimeSpan.FromSeconds(30)
        && RequestTimeout >= TimeSpan.FromSeconds(1) && RequestTimeout <= TimeSpan.FromMinutes(10)
        && RetryAfter >= TimeSpan.FromSeconds(1) && RetryAfter <= TimeSpan.FromHours(1);
}

/// <summary>A token bucket per account: <see cref="Burst"/> tool calls at once, then one per <see cref="ReplenishEvery"/>.</summary>
public sealed class ToolCallBucket
{
    public int Burst { get; set; }

    public TimeSpan ReplenishEvery { get; set; }

    public bool IsValid() => Burst >= 1 && ReplenishEvery >= TimeSpan.FromMilliseconds(1) && ReplenishEvery <= TimeSpan.FromHours(1);
}
