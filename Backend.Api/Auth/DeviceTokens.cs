using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Auth;

/// <summary>
/// OWASP's device cookie (Authentication Cheat Sheet, "Device Cookies"): a successful sign-in gets a token naming the
/// account and a random nonce, signed with the backend's key (audience <see cref="Audience"/>, never accepted as an
/// access token). A later sign-in to the same account that presents it has that device's own failure budget instead of
/// the one all other clients share. The frontend keeps it in an httpOnly cookie; API clients send it as
/// <c>X-Device-Token</c>.
/// </summary>
public sealed class DeviceTokens(TokenSigningKey key, IOptions<JwtOptions> jwt, IOptions<SignInThrottleOptions> throttle, TimeProvider time)
{
    public const string Audience = "phase4-device";
    public const string HeaderName = "X-Device-Token";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public IssuedToken Issue(Guid userId)
    {
        var lifetime = throttle.Value.DeviceTokenLifetime;
        var now = time.GetUtcNow();
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Value.Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString("D", CultureInfo.InvariantCulture),
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            },
        });
        return new IssuedToken(token, now + lifetime, lifetime);
    }

    /// <summary>The nonce of <paramref name="token"/> when it is a valid device token of <paramref name="userId"/>; else null.</summary>
    public async Task<string?> NonceForAsync(string? token, Guid userId)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = jwt.Value.Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = key.PublicKey,
            ValidAlgorithms = [key.Algorithm],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.Zero,
            LifetimeValidator = (notBefore, expires, _, _) => notBefore <= time.GetUtcNow().UtcDateTime && expires > time.GetUtcNow().UtcDateTime,
        });
        return result.IsValid
            && result.Claims.TryGetValue(JwtRegisteredClaimNames.Sub, out var sub) && sub as string == userId.ToString("D", CultureInfo.InvariantCulture)
            && result.Claims.TryGetValue(JwtRegisteredClaimNames.Jti, out var jti) && jti is string { Length: > 0 and <= 40 } nonce
                ? nonce
                : null;
    }
}
