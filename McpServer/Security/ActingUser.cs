using Microsoft.AspNetCore.Http;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Mcp.Security;

/// <summary>
/// The user a tool call acts for: always the bearer token's subject. Tools accept the original contract's <c>user_id</c>
/// argument only as a claim to check against it, never as a way to pick the user.
/// </summary>
public sealed class ActingUser(IHttpContextAccessor httpContextAccessor)
{
    public Guid Id =>
        httpContextAccessor.HttpContext?.User.GetUserId() is { } id && id != Guid.Empty
            ? id
            : throw new InvalidOperationException("Tool called outside an authenticated MCP request.");

    /// <summary>True for the backend's start-up warm-up, whose subject has no account (<see cref="WarmUpFilter"/>).</summary>
    public bool IsWarmUp => httpContextAccessor.HttpContext?.User.IsWarmUp() == true;

    /// <summary>True when <paramref name="claimedUserId"/> is absent or names the token's user.</summary>
    public bool IsSameUser(string? claimedUserId) =>
        string.IsNullOrWhiteSpace(claimedUserId)
        || (Guid.TryParse(claimedUserId, out var claimed) && claimed == Id);
}
