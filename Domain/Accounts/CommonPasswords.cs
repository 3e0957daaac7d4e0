using Zxcvbn.Matcher;

namespace Phase4.Domain.Accounts;

/// <summary>
/// The passwords attackers try first, which sign-up refuses (NIST SP 800-63B §5.1.1.2: check new passwords against
/// "passwords obtained from previous breach corpuses" and "commonly-used" values; OWASP's Authentication Cheat Sheet
/// says the same). The list is zxcvbn's (Dropbox): the 30,000 most common passwords of Mark Burnett's 10 million
/// password corpus, ranked by frequency, as the zxcvbn-core package embeds it; nothing is downloaded at run time.
/// Compared whole and ignoring letter case, so "Password1" is refused, "password1 for my tasks" is not.
/// </summary>
public static class CommonPasswords
{
    /// <summary>No entry of the list is longer; longer passwords are not looked up.</summary>
    public const int LongestEntry = 20;

    private static readonly Lazy<DictionaryMatcher> List = new(() => new DictionaryMatcher("passwords", "passwords.lst"));

    public static bool Contains(string password) =>
        password.Length <= LongestEntry
        && List.Value.MatchPassword(password).OfType<DictionaryMatch>().Any(match => match.i == 0 && match.j == password.Length - 1);
}
