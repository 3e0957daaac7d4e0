using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Auth;

/// <summary>A signed JWT and when it expires.</summary>
public sealed record IssuedToken(string AccessToken, DateTimeOffset ExpiresAt, TimeSpan Lifetime)
{
    /// <summary>The OAuth <c>expires_in</c> value.</summary>
    public int ExpiresInSeconds => (int)Lifetime.TotalSeconds;
}

/// <summary>
/// Mints JWTs signed with the backend's key (<c>Jwt:SigningKey</c>, ES256 or RS256, header <c>kid</c>), with claims
/// <c>sub</c> (user id, lowercase GUID), <c>email</c>, <c>jti</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, <c>iss</c>
/// (<c>Jwt:Issuer</c>) and <c>aud</c>; MCP tokens also carry the account's MCP token version (<c>mcp_ver</c>), which
/// the MCP server compares with the current one. A singleton: inject it wherever a token is needed.
/// </summary>
public sealed class TokenIssuer(TokenSigningKey key, IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token for <paramref name="audience"/> valid for <paramref name="lifetime"/> from now.</summary>
    public IssuedToken Issue(
        Guid userId, string email, string audience, TimeSpan lifetime, int? mcpTokenVersion = null, bool warmUp = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var expires = now + lifetime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = userId.ToString("D", CultureInfo.InvariantCulture),
            [JwtRegisteredClaimNames.Email] = email,
            [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        if (mcpTokenVersion is { } version)
        {
            claims[Phase4Claims.McpTokenVersion] = version;
        }

        if (warmUp)
        {
            claims[Phase4Claims.WarmUp] = true;
        }

        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = claims,
        });
        return new IssuedToken(token, expires, lifetime);
    }

    /// <summary>A token for the REST API (<c>Jwt:Audience</c>, <c>Jwt:AccessTokenLifetime</c>), as login returns.</summary>
    public IssuedToken IssueApiToken(Guid userId, string email) =>
        Issue(userId, email, options.Value.Audience, options.Value.AccessTokenLifetime);

    /// <summary>
    /// A token for the MCP server (<c>Jwt:McpAudience</c>) carrying the account's current MCP token version: for
    /// external MCP clients (<c>Jwt:McpTokenLifetime</c>) unless <paramref name="lifetime"/> says otherwise.
    /// </summary>
    public IssuedToken IssueMcpToken(Guid userId, string email, int mcpTokenVersion, TimeSpan? lifetime = null) =>
        Issue(userId, email, options.Value.McpAudience, lifetime ?? options.Value.McpTokenLifetime, mcpTokenVersion);

    /// <summary>
    /// The start-up warm-up's MCP token (<see cref="Phase4Claims.WarmUp"/>): a new id no account has, so the tools it
    /// may call (read-only ones) read nothing of anybody; one minute is ample for a warm-up.
    /// </summary>
    public IssuedToken IssueWarmUpMcpToken() =>
        Issue(Guid.NewGuid(), WarmUpEmail, options.Value.McpAudience, WarmUpLifetime, mcpTokenVersion: 0, warmUp: true);

    /// <summary>The start-up warm-up's token for this API, for <paramref name="warmUpId"/>, a new id no account has.</summary>
    public IssuedToken IssueWarmUpApiToken(Guid warmUpId) =>
        Issue(warmUpId, WarmUpEmail, options.Value.Audience, WarmUpLifetime, warmUp: true);

    private const string WarmUpEmail = "warm-up@phase4.invalid";

    private static readonly TimeSpan WarmUpLifetime = TimeSpan.FromMinutes(1);
}
