namespace Phase4.Backend.Auth;

/// <summary>
/// Throttling of failed sign-ins per account (section <c>SignInThrottle</c>), OWASP's device-cookie scheme: every
/// client without a device token of the account (<see cref="DeviceTokens"/>) shares one budget, so spreading guesses
/// over many addresses gains nothing; a device the owner signed in from before keeps its own budget, so a guesser
/// cannot keep the owner out. After <see cref="FreeFailures"/> failures in a budget the next attempt waits
/// <see cref="BaseLockout"/>, doubling with each further failure up to <see cref="MaxLockout"/>; a success resets that
/// budget, and one left alone for <see cref="ForgetAfter"/> is forgotten.
/// </summary>
public sealed class SignInThrottleOptions
{
    public const string SectionName = "SignInThrottle";

    public int FreeFailures { get; set; } = 5;

    public TimeSpan BaseLockout { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A budget with no attempt for this long starts afresh (its row is deleted).</summary>
    public TimeSpan ForgetAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a device token (issued with every successful sign-in) keeps its device's own budget.</summary>
    public TimeSpan DeviceTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    public bool IsValid() =>
        FreeFailures >= 1 && BaseLockout > TimeSpan.Zero && MaxLockout >= BaseLockout
        && ForgetAfter >= MaxLockout && DeviceTokenLifetime > TimeSpan.Zero && DeviceTokenLifetime <= TimeSpan.FromDays(400);
}
