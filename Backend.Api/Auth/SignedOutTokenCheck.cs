using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Auth;

/// <summary>
/// Refuses API tokens that were signed out (<c>POST /api/auth/logout</c> stores their <c>jti</c> until they expire).
/// Per token the database is read at most once per <c>Jwt:RevocationCheckInterval</c>; the replica that handled the
/// sign-out refuses the token at once, the others within that interval.
/// </summary>
internal sealed class SignedOutTokenCheck(RevocationCache cache) : ITokenRevocationCheck
{
    public static string CacheKey(string jti) => "signed-out:" + jti;

    public async ValueTask<string?> RefusalAsync(ClaimsPrincipal principal, HttpContext http)
    {
        // Every token the backend issues has a jti; one without could never have been signed out.
        if (principal.FindFirstValue(JwtRegisteredClaimNames.Jti) is not { Length: > 0 } jti)
        {
            return null;
        }

        var signedOut = await cache.GetAsync(CacheKey(jti),
            () => http.RequestServices.GetRequiredService<AccountTokens>().IsRevokedAsync(jti, http.RequestAborted));
        return signedOut ? "The token was signed out." : null;
    }
}
