using System.Net.Mail;

namespace Phase4.Domain.Accounts;

/// <summary>The validation rules of an account, the single copy every adapter goes through.</summary>
public static class AccountRules
{
    public const int EmailMaxLength = 254;
    public const int PasswordMinLength = 8;

    /// <summary>Generous upper bound: long passphrases are welcome, megabyte "passwords" are not.</summary>
    public const int PasswordMaxLength = 1024;

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Trims the email and checks it is one plain address (no display name); returns the error or null.</summary>
    public static string? ValidateEmail(string? email, out string normalized)
    {
        normalized = email?.Trim() ?? string.Empty;
        if (normalized.Length == 0)
        {
            return "The email is required.";
        }

        if (normalized.Length > EmailMaxLength)
        {
            return $"The email must be at most {EmailMaxLength} characters.";
        }

        var plain = !normalized.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c));
        if (!plain || !MailAddress.TryCreate(normalized, out var address) || address.Address != normalized
            || address.Host.Length == 0 || address.User.Length == 0)
        {
            return "The email is not a valid address.";
        }

        return null;
    }

    /// <summary>
    /// Length, and not one of the most common passwords (<see cref="CommonPasswords"/>); no composition rules, so long
    /// passphrases are welcome. Returns the error or null.
    /// </summary>
    public static string? ValidatePassword(string? password)
    {
        if (password is null || password.Length < PasswordMinLength)
        {
            return $"The password must be at least {PasswordMinLength} characters.";
        }

        if (password.Length > PasswordMaxLength)
        {
            return $"The password must be at most {PasswordMaxLength} characters.";
        }

        return CommonPasswords.Contains(password)
            ? "This password is one of the most common ones, which attackers try first; choose another (a few words make a good one)."
            : null;
    }
}
