namespace Phase4.Backend.Auth;

/// <summary>
/// Throttling of sign-in attempts per account and client address (section <c>SignInThrottle</c>). After
/// <see cref="FreeFailures"/> consecutive failed attempts on one account from one address (an IPv6 address counts by
/// its /64), the next attempt from there waits <see cref="BaseLockout"/>, doubling with each further failure up to
/// <see cref="MaxLockout"/>; a success resets it. Other addresses are not affected, so a guesser elsewhere cannot keep
/// the owner out; guessers spread over many addresses are slowed by the per-address sign-in rate limit instead.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "SignInThrottle";

    public int FreeFailures { get; set; } = 5;

    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);
}
