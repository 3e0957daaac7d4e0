namespace Phase4.Domain.Accounts;

/// <summary>
/// Sign-in attempts on one account from one client address (or IPv6 /64), table <c>sign_in_throttles</c>. An attempt
/// is counted before its password is checked; a success deletes the row.
/// </summary>
public sealed class SignInThrottle
{
    public Guid UserId { get; set; }

    /// <summary>The client's address as <c>ClientKeys</c> writes it (an IPv4 address or an IPv6 /64 prefix).</summary>
    public required string ClientKey { get; set; }

    /// <summary>Attempts reserved since the last success: the failures plus any check still in flight.</summary>
    public int Attempts { get; set; }

    /// <summary>No attempt from this address is checked before this time.</summary>
    public DateTimeOffset? BlockedUntil { get; set; }
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
