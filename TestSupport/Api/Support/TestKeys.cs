using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Phase4.Tests.Api.Support;

/// <summary>
/// A P-256 key pair for a test backend, and an independent token minter (not the backend's code) used to forge
/// tokens the backend must reject: expired, wrong audience or issuer, signed by another key, unsigned.
/// </summary>
public sealed class TestKeys : IDisposable
{
    public const string Issuer = "phase4-backend";
    public const string ApiAudience = "phase4-api";
    public const string McpAudience = "phase4-mcp";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>The public half, as the MCP server's <c>Jwt__PublicKey</c> takes it.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    public string Mint(
        string subject, string audience = ApiAudience, string issuer = Issuer,
        DateTime? notBefore = null, DateTime? expires = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = notBefore ?? now,
            NotBefore = notBefore ?? now,
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = subject, ["email"] = "forged@example.com" },
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    /// <summary>A well-formed token with <c>"alg": "none"</c> and no signature.</summary>
    public static string WithoutSignature(string subject)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = subject, ["aud"] = ApiAudience, ["iss"] = Issuer, ["exp"] = exp, ["nbf"] = exp - 600,
        }));
        return $"{header}.{payload}.";
    }

    /// <summary>The decoded payload of a JWT, for asserting its claims.</summary>
    public static JsonElement Payload(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[1]))).RootElement.Clone();

    public static JsonElement Header(string token) =>
        JsonDocument.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.Split('.')[0]))).RootElement.Clone();

    public void Dispose() => _key.Dispose();
}
