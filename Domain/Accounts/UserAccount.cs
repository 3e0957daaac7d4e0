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
    /// How many tasks the user has, kept exact by a trigger on <c>tasks</c> (migration QuotasAndTokenRevocation); the
    /// task quota reads it. The application never writes it: never save a tracked, stale <see cref="UserAccount"/>.
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
