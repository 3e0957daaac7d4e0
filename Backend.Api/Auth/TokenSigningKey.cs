using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Phase4.ServiceDefaults.Security;
using Phase4.SigningKeys;

namespace Phase4.Backend.Auth;

/// <summary>The backend's private signing key (from <c>Jwt:SigningKey</c>) and its public half, loaded once.</summary>
public sealed class TokenSigningKey
{
    public TokenSigningKey(IOptions<JwtOptions> options)
    {
        PrivateKey = JwtKeys.LoadPrivateKey(options.Value.SigningKey
            ?? throw new InvalidOperationException("Jwt:SigningKey is not configured."));
        PublicKey = JwtKeys.ToPublic(PrivateKey);
        Algorithm = JwtKeys.AlgorithmFor(PrivateKey);
        Credentials = new SigningCredentials(PrivateKey, Algorithm);
        KeySet = new JsonWebKeySet([ToPublicJwk(PublicKey, Algorithm)]);
    }

    public AsymmetricSecurityKey PrivateKey { get; }
    public AsymmetricSecurityKey PublicKey { get; }

    /// <summary>ES256 or RS256.</summary>
    public string Algorithm { get; }

    public SigningCredentials Credentials { get; }

    /// <summary>What <c>/.well-known/jwks.json</c> serves.</summary>
    public JsonWebKeySet KeySet { get; }

    private static PublicJsonWebKey ToPublicJwk(AsymmetricSecurityKey key, string algorithm)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key);
        return new PublicJsonWebKey(jwk.Kty, "sig", algorithm, key.KeyId, jwk.Crv, jwk.X, jwk.Y, jwk.N, jwk.E);
    }
}

/// <summary>
/// Start-up check of the backend's key configuration: a loadable private key, and <c>Jwt:PublicKey</c> (if set) its
/// pair. Messages name the setting and the problem, never the key material.
/// </summary>
internal sealed class SigningKeyValidation : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return ValidateOptionsResult.Fail(
                "Jwt:SigningKey is required outside Development: set Jwt__SigningKey to a PEM private key (EC P-256 or RSA 2048+).");
        }

        AsymmetricSecurityKey signing;
        try
        {
            signing = JwtKeys.LoadPrivateKey(options.SigningKey);
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"Jwt:SigningKey is not a usable private key: {e.Message}");
        }

        if (!string.IsNullOrWhiteSpace(options.PublicKey))
        {
            try
            {
                if (JwtKeys.LoadPublicKey(options.PublicKey).KeyId != signing.KeyId)
                {
                    return ValidateOptionsResult.Fail("Jwt:PublicKey is not the public half of Jwt:SigningKey.");
                }
            }
            catch (ArgumentException e)
            {
                return ValidateOptionsResult.Fail($"Jwt:PublicKey is not a usable public key: {e.Message}");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
