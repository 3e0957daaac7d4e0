namespace Phase4.Domain.Accounts;

/// <summary>
/// Sign-in attempts on one account from one kind of client, table <c>sign_in_throttles</c>: every client without a
/// device token of this account shares one row (<see cref="UntrustedClients"/>), each device token has its own
/// (OWASP's device cookies). An attempt is counted before its password is checked; a success deletes the row, and a
/// row left alone for a while is forgotten.
/// </summary>
public sealed class SignInThrottle
{
    /// <summary>The client key every client without a valid device token of the account shares.</summary>
    public const string UntrustedClients = "untrusted";

    /// <summary>The client key of a device token's nonce.</summary>
    public static string DeviceKey(string nonce) => "device:" + nonce;

    public Guid UserId { get; set; }

    /// <summary><see cref="UntrustedClients"/> or <see cref="DeviceKey"/>.</summary>
    public required string ClientKey { get; set; }

    /// <summary>Attempts reserved since the last success: the failures plus any check still in flight.</summary>
    public int Attempts { get; set; }

    /// <summary>No attempt from these clients is checked before this time.</summary>
    public DateTimeOffset? BlockedUntil { get; set; }

    /// <summary>When the last attempt was reserved; rows left alone long enough are deleted.</summary>
    public DateTimeOffset LastAttemptAt { get; set; }
}

/// <summary>
/// A signed-out API token (table <c>revoked_tokens</c>), refused until validation would refuse it anyway: its expiry
/// plus the clock skew (<see cref="ExpiresAt"/> holds that moment).
/// </summary>
public sealed class RevokedToken
{
    /// <summary>The token's <c>jti</c>.</summary>
    public required string Jti { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
