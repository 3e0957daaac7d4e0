namespace Phase4.Domain.Accounts;

public static class AccountRules
{
    public const int EmailMaxLength = 254;
    public const int PasswordMinLength = 8;

    /// <summary>Generous upper bound: long passphrases are welcome, megabyte "passwords" are not.</summary>
    public const int PasswordMaxLength = 1024;

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();
}
