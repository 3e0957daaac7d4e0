using Microsoft.EntityFrameworkCore;
using Phase4.Domain.Data;

namespace Phase4.Domain.Accounts;

/// <summary>
/// What the database knows about an account's tokens: the MCP token version (raised to revoke every MCP token) and
/// the signed-out API tokens. The backend writes both; the backend and the MCP server read them.
/// </summary>
public sealed class AccountTokens(TodoDbContext db, TimeProvider time)
{
    /// <summary>The account's current MCP token version; null when the account does not exist.</summary>
    public Task<int?> GetMcpTokenVersionAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (int?)u.McpTokenVersion).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Revokes every MCP token issued so far; false when the account does not exist.</summary>
    public async Task<bool> RevokeMcpTokensAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.McpTokenVersion, u => u.McpTokenVersion + 1), cancellationToken) > 0;

    /// <summary>
    /// Refuses the token <paramref name="jti"/> until <paramref name="refusedUntil"/> (the last moment validation could
    /// still accept it: its expiry plus the clock skew); entries past theirs are swept on the way.
    /// </summary>
    public async Task RevokeTokenAsync(string jti, Guid userId, DateTimeOffset refusedUntil, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.RevokedTokens.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync(
            $"INSERT INTO revoked_tokens (jti, user_id, expires_at) VALUES ({jti}, {userId}, {refusedUntil}) ON CONFLICT (jti) DO NOTHING",
            cancellationToken);
    }

    public Task<bool> IsRevokedAsync(string jti, CancellationToken cancellationToken) =>
        db.RevokedTokens.AsNoTracking().AnyAsync(t => t.Jti == jti, cancellationToken);
}
