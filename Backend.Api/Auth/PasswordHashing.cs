using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Phase4.Domain.Accounts;

namespace Phase4.Backend.Auth;

/// <summary>The password hasher and a dummy hash that unknown emails are checked against, for equal timing.</summary>
public sealed class PasswordHashing
{
    private readonly string _dummyHash;

    public PasswordHashing(IPasswordHasher<UserAccount> hasher)
    {
        Hasher = hasher;
        _dummyHash = hasher.HashPassword(null!, RandomNumberGenerator.GetHexString(32));
    }

    public IPasswordHasher<UserAccount> Hasher { get; }

    public void VerifyAgainstDummy(string password) => Hasher.VerifyHashedPassword(null!, _dummyHash, password);
}
