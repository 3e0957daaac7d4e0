using System.Globalization;
using System.Security.Claims;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Mcp.Security;

/// <summary>
/// Refuses MCP tokens issued before the account's last "revoke MCP access" (<c>DELETE /api/auth/mcp-tokens</c> raises
/// <c>users.mcp_token_version</c>; each token carries the version it was issued with, absent meaning 0). The current
/// version is read at most once per account per <c>Jwt:RevocationCheckInterval</c> (30 s by default), so a revoked
/// token is refused within that interval. A token of an account that no longer exists is refused too, except the
/// backend's warm-up token (<see cref="Phase4Claims.WarmUp"/>), which is accepted only while no account has its subject
/// (and then calls read-only tools only, <see cref="WarmUpFilter"/>).
/// </summary>
internal sealed class McpTokenVersionCheck(RevocationCache cache) : ITokenRevocationCheck
{
    public async ValueTask<string?> RefusalAsync(ClaimsPrincipal principal, HttpContext http)
    {
        if (principal.GetUserId() is var userId && userId == Guid.Empty)
        {
            return null; // the authorization policy refuses it
        }

        if (principal.IsWarmUp())
        {
            // The backend's start-up warm-up: its subject is a new id, and the token never stands for an account.
            var account = await http.RequestServices.GetRequiredService<AccountTokens>().GetMcpTokenVersionAsync(userId, http.RequestAborted);
            return account is null ? null : "A warm-up token cannot act for an account.";
        }

        var claimed = principal.FindFirstValue(Phase4Claims.McpTokenVersion) is { } text
            && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        var current = await cache.GetAsync("mcp-token-version:" + userId.ToString("D"),
            () => http.RequestServices.GetRequiredService<AccountTokens>().GetMcpTokenVersionAsync(userId, http.RequestAborted));
        return current == claimed ? null : "The MCP token was revoked.";
    }
}
