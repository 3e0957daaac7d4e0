namespace Phase4.Domain.Accounts;

/// <summary>A registered person. The password is stored only as an ASP.NET Core Identity hash.</summary>
public sealed class UserAccount
{
    public Guid Id { get; set; }
    public required string Email { get; set; }

    /// <summary>Upper-invariant email, unique: the lookup key for sign-in.</summary>
    public required string NormalizedEmail { get; set; }

    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Written into every MCP token the backend issues (claim <c>mcp_ver</c>); raising it revokes every MCP token
    /// issued before, because the MCP server refuses tokens whose version is not the current one.
    /// </summary>
    public int McpTokenVersion { get; set; }

    /// <summary>
    /// Unused since the task count moved to <see cref="Tasks.TaskCountShard"/> (migration TaskCountShards): no longer
    /// maintained. Kept for one release so the previous version's task quota still finds it during a rolling update
    /// (it reads the count as it was at the migration); drop it in the next.
    /// </summary>
    public int TaskCount { get; set; }

    /// <summary>
    /// Unused since sign-in throttling moved to <see cref="SignInThrottle"/> (per account and client address). Kept
    /// for one release so the previous version keeps working during a rolling update; drop it in the next.
    /// </summary>
    public int FailedSignInCount { get; set; }

    /// <summary>Unused, kept for one release like <see cref="FailedSignInCount"/>.</summary>
    public DateTimeOffset? SignInBlockedUntil { get; set; }
}
