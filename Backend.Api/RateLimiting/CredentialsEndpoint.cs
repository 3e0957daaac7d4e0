namespace Phase4.Backend.RateLimiting;

/// <summary>
/// Endpoint metadata of the anonymous endpoints that take credentials (sign-in, sign-up): each has its own token bucket
/// per client address (<see cref="RateLimitOptions.SignIn"/>, <see cref="RateLimitOptions.SignUp"/>), and its body
/// must arrive within <see cref="RateLimitOptions.CredentialsReadTimeout"/>.
/// </summary>
public sealed record CredentialsEndpoint(string Pool)
{
    public static readonly CredentialsEndpoint SignIn = new("sign-in");
    public static readonly CredentialsEndpoint SignUp = new("sign-up");
}
