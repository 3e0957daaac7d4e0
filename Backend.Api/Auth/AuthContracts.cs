using System.Text.Json.Serialization;

namespace Phase4.Backend.Auth;

/// <summary>The body of register and login.</summary>
public sealed record CredentialsRequest(string? Email, string? Password);

public sealed record RegisteredAccount(string UserId, string Email);

/// <summary>
/// A successful sign-in. <c>device_token</c> (valid <c>device_token_expires_in</c> seconds) gives this device its own
/// failure budget on later sign-ins to this account: send it back as <c>X-Device-Token</c>.
/// </summary>
public sealed record LoginResponse(string AccessToken, string TokenType, int ExpiresIn, string UserId, string DeviceToken, int DeviceTokenExpiresIn);

public sealed record McpTokenResponse(string AccessToken, string TokenType, int ExpiresIn);

/// <summary>RFC 7517 key set: the public half of the signing key, for validators other than the backend.</summary>
public sealed record JsonWebKeySet(IReadOnlyList<PublicJsonWebKey> Keys);

public sealed record PublicJsonWebKey(
    string Kty,
    string Use,
    string Alg,
    string Kid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Crv,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? X,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Y,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? N,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? E);
