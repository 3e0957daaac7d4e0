namespace Phase4.Domain.Accounts;

/// <summary>A registered person. The password is stored only as an ASP.NET Core Identity hash.</summary>
public sealed class UserAccount
{
    public Guid Id { get; set; }
    public required string Email { get; set; }

    /// <summary>Upper-invariant email, unique: the lookup key for sign-in.</summary>
    public required string NormalizedEmail { get; set; }

    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Consecutive failed sign-ins since the last success; drives per-account throttling.</summary>
    public int FailedSignInCount { get; set; }

    public DateTimeOffset? SignInBlockedUntil { get; set; }
}
