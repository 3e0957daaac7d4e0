namespace Phase4.Backend.Auth;

/// <summary>
/// Per-account throttling of failed sign-ins (section <c>SignInThrottle</c>). After <see cref="FreeFailures"/>
/// consecutive failures the account is locked for <see cref="BaseLockout"/>, doubling with each further failure up to
/// <see cref="MaxLockout"/>. Keyed by account, not client address, so users behind one proxy do not lock each other out.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "SignInThrottle";

    public int FreeFailures { get; set; } = 5;

    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The lock after the <paramref name="failures"/>-th consecutive failure, or null when none applies yet.</summary>
    public TimeSpan? LockoutAfter(int failures)
    {
        if (failures < FreeFailures)
        {
            return null;
        }

        var doublings = Math.Min(failures - FreeFailures, 20);
        var lockout = BaseLockout * Math.Pow(2, doublings);
        return lockout < MaxLockout ? lockout : MaxLockout;
    }
}
