using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Hostile;

/// <summary>
/// The Authorization headers a case can name. Every forged kind claims to be the victim, for the audience of the
/// service it is sent to; the backend's real key is used where the forgery is in something else (expiry, audience...).
/// </summary>
public sealed class HostileTokens(HostileFixture fixture, string attackerMcpToken) : IDisposable
{
    private readonly TestKeys _otherKey = new();

    /// <summary>The header values for <paramref name="kind"/>; empty for none.</summary>
    public IReadOnlyList<string> For(string kind, bool forMcp)
    {
        var victim = fixture.Victim.Id.ToString("D");
        var audience = forMcp ? TestKeys.McpAudience : TestKeys.ApiAudience;
        var now = DateTime.UtcNow;
        return kind switch
        {
            "mine" => [Bearer(fixture.Attacker.Token)],
            "mcp_mine" => [Bearer(attackerMcpToken)],
            "none" => [],
            "garbage" => ["Bearer not-a-jwt"],
            "empty_bearer" => ["Bearer "],
            "basic_auth" => ["Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{fixture.Victim.Email}:{TestUser.DefaultPassword}"))],
            "alg_none" => [Bearer(Unsigned(victim, audience))],
            "other_key" => [Bearer(_otherKey.Mint(victim, audience))],
            "expired" or "expired_mcp" => [Bearer(fixture.Keys.Mint(victim, audience, notBefore: now.AddHours(-2), expires: now.AddHours(-1)))],
            "wrong_audience_mcp" => [Bearer(fixture.Keys.Mint(victim, TestKeys.McpAudience))],
            "rest_token_on_mcp" => [Bearer(fixture.Keys.Mint(victim, TestKeys.ApiAudience))],
            "wrong_issuer" => [Bearer(fixture.Keys.Mint(victim, audience, issuer: "https://evil.example"))],
            "not_yet_valid" => [Bearer(fixture.Keys.Mint(victim, audience, notBefore: now.AddHours(1), expires: now.AddHours(2)))],
            "tampered_payload" => [Bearer(WithVictimPayload(fixture.Attacker.Token, victim))],
            "hs256_with_public_key" => [Bearer(HmacWithPublicKey(victim, audience))],
            "duplicate_header" => [Bearer(fixture.Attacker.Token), Bearer(Unsigned(victim, audience))],
            _ => throw new InvalidOperationException($"Unknown token kind '{kind}' in the corpus."),
        };
    }

    private static string Bearer(string token) => "Bearer " + token;

    private static Dictionary<string, object> Claims(string subject, string audience)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return new() { ["sub"] = subject, ["aud"] = audience, ["iss"] = TestKeys.Issuer, ["exp"] = exp, ["nbf"] = exp - 600, ["iat"] = exp - 600 };
    }

    private static string Encode(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));

    private static string Unsigned(string subject, string audience) =>
        $"{Encode(new Dictionary<string, string> { ["alg"] = "none", ["typ"] = "JWT" })}.{Encode(Claims(subject, audience))}.";

    /// <summary>A genuine token whose payload is swapped for one naming the victim, keeping the original signature.</summary>
    private static string WithVictimPayload(string token, string victim)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.Decode(parts[1]))!;
        payload["sub"] = JsonSerializer.SerializeToElement(victim);
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    /// <summary>The algorithm-confusion attack: HS256 keyed with the (public) verification key's PEM text.</summary>
    private string HmacWithPublicKey(string subject, string audience)
    {
        var signingInput = $"{Encode(new Dictionary<string, string> { ["alg"] = "HS256", ["typ"] = "JWT" })}.{Encode(Claims(subject, audience))}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(fixture.PublicKeyPem), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    public void Dispose() => _otherKey.Dispose();
}
