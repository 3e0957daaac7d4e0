using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Phase4.ServiceDefaults.Security;

/// <summary>Who a validated token speaks for, read the same way by every service.</summary>
public static class UserClaims
{
    /// <summary>The account id, the token's <c>sub</c> (a GUID in the "D" form Backend.Api issues); empty otherwise.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParseExact(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), "D", out var id) ? id : Guid.Empty;

    public static string GetEmail(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(JwtRegisteredClaimNames.Email) ?? string.Empty;

    /// <summary>True for the backend's start-up warm-up token (<see cref="Phase4Claims.WarmUp"/>).</summary>
    public static bool IsWarmUp(this ClaimsPrincipal principal) =>
        bool.TryParse(principal.FindFirstValue(Phase4Claims.WarmUp), out var warmUp) && warmUp;
}
