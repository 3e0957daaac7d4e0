using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Phase4.SigningKeys;

namespace Phase4.Tests.Mcp;

/// <summary>Mints tokens the way Backend.Api does (same claims, issuer and audiences), with a test key pair.</summary>
public sealed class McpTestTokens
{
    public const string McpAudience = "phase4-mcp";
    public const string RestAudience = "phase4-api";

    private static readonly JsonWebTokenHandler Handler = new();
    private readonly AsymmetricSecurityKey _signingKey;

    public McpTestTokens()
    {
        var (privateKeyPem, publicKeyPem) = JwtKeys.CreateKeyPair();
        _signingKey = JwtKeys.LoadPrivateKey(privateKeyPem);
        PublicKeyPem = publicKeyPem;
    }

    /// <summary>What the MCP server is configured with (<c>Jwt__PublicKey</c>).</summary>
    public string PublicKeyPem { get; }

    public string For(Guid userId, string audience = McpAudience, DateTime? issuedAt = null, TimeSpan? lifetime = null) =>
        Sign(_signingKey, userId, audience, issuedAt ?? DateTime.UtcNow, lifetime ?? TimeSpan.FromMinutes(5));

    /// <summary>Like the backend's start-up warm-up token: the warm-up claim, for <paramref name="userId"/>.</summary>
    public string WarmUp(Guid userId) =>
        Sign(_signingKey, userId, McpAudience, DateTime.UtcNow, TimeSpan.FromMinutes(1), warmUp: true);

    /// <summary>A token whose validity ended an hour ago, well past the 30 s clock skew.</summary>
    public string Expired(Guid userId) => For(userId, issuedAt: DateTime.UtcNow.AddHours(-2), lifetime: TimeSpan.FromHours(1));

    /// <summary>A well-formed token signed by a key the server does not trust.</summary>
    public static string SignedByAnotherKey(Guid userId) =>
        Sign(JwtKeys.LoadPrivateKey(JwtKeys.CreateKeyPair().PrivateKeyPem), userId, McpAudience, DateTime.UtcNow, TimeSpan.FromMinutes(5));

    private static string Sign(
        AsymmetricSecurityKey key, Guid userId, string audience, DateTime issuedAt, TimeSpan lifetime, bool warmUp = false)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId.ToString("D"),
            ["email"] = $"{userId:N}@example.test",
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        if (warmUp)
        {
            claims["warm_up"] = true;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "phase4-backend",
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, JwtKeys.AlgorithmFor(key)),
        });
    }
}
