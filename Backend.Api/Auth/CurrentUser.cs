using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Phase4.Backend.Auth;

public static class CurrentUser
{
    /// <summary>The authenticated user's id, the token's <c>sub</c>; empty when it is not a GUID.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParseExact(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), "D", out var id) ? id : Guid.Empty;

    public static string GetEmail(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(JwtRegisteredClaimNames.Email) ?? string.Empty;
}
