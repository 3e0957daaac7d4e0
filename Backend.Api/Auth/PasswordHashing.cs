using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Phase4.Domain.Accounts;

namespace Phase4.Backend.Auth;

/// <summary>
/// The password hasher and a dummy hash that unknown emails are checked against, for equal timing. ASP.NET Core
/// Identity's hasher (format V3: PBKDF2 with HMAC-SHA512, a 128-bit salt, a 256-bit subkey) with
/// <see cref="Iterations"/> rounds; a stored hash with fewer is re-hashed at the next successful sign-in
/// (<c>SuccessRehashNeeded</c>).
/// </summary>
public sealed class PasswordHashing
{
    /// <summary>
    /// OWASP's Password Storage Cheat Sheet: PBKDF2-HMAC-SHA512 with 210,000 iterations (Identity's default is 100,000).
    /// One hash then takes about a fifth of a second of one core (bench/sign-in.sh measures it), which sizes the
    /// anonymous hashing pool (<c>RateLimits:AnonymousConcurrency</c>).
    /// </summary>
    public const int Iterations = 210_000;

    private readonly string _dummyHash;

    public PasswordHashing(IPasswordHasher<UserAccount> hasher)
    {
        Hasher = hasher;
        _dummyHash = hasher.HashPassword(null!, RandomNumberGenerator.GetHexString(32));
    }

    public IPasswordHasher<UserAccount> Hasher { get; }

    public void VerifyAgainstDummy(string password) => Hasher.VerifyHashedPassword(null!, _dummyHash, password);
}
