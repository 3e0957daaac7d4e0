using Phase4.Domain.Accounts;

namespace Phase4.Tests.Domain;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("someone@example.com", "someone@example.com")]
    [InlineData("  First.Last+tag@Example.co.uk ", "First.Last+tag@Example.co.uk")]
    public void A_plain_address_is_valid_and_trimmed(string email, string expected)
    {
        Assert.Null(AccountRules.ValidateEmail(email, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("a@")]
    [InlineData("@b.com")]
    [InlineData("a b@c.com")]
    [InlineData("Name <a@b.com>")]
    [InlineData("a@b.com, c@d.com")]
    [InlineData("nul\0@b.com")]
    [InlineData("tab\t@b.com")]
    public void Anything_but_one_plain_address_is_refused(string? email) =>
        Assert.NotNull(AccountRules.ValidateEmail(email, out _));

    [Fact]
    public void An_address_with_a_lone_surrogate_is_refused()
    {
        // Built here: a lone surrogate cannot survive an attribute argument.
        Assert.NotNull(AccountRules.ValidateEmail("lone" + '\ud800' + "@b.com", out _));
    }

    [Fact]
    public void An_email_over_254_characters_is_refused()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        Assert.True(email.Length > AccountRules.EmailMaxLength);
        Assert.NotNull(AccountRules.ValidateEmail(email, out _));
    }

    [Theory]
    [InlineData("12345679 and more")]
    [InlineData("all lower case words")]
    [InlineData("        ")]
    public void Any_password_of_8_to_1024_characters_is_accepted(string password) =>
        Assert.Null(AccountRules.ValidatePassword(password));

    [Theory]
    [InlineData("12345678")]
    [InlineData("Password")]
    [InlineData("QWERTYUIOP")]
    [InlineData("letmein1")]
    public void One_of_the_most_common_passwords_is_refused_whatever_its_letter_case(string password) =>
        Assert.Contains("most common", AccountRules.ValidatePassword(password), StringComparison.Ordinal);

    [Fact]
    public void Passwords_outside_8_to_1024_characters_are_refused()
    {
        Assert.NotNull(AccountRules.ValidatePassword(null));
        Assert.NotNull(AccountRules.ValidatePassword("1234567"));
        Assert.Null(AccountRules.ValidatePassword(new string('p', 1024)));
        Assert.NotNull(AccountRules.ValidatePassword(new string('p', 1025)));
    }

    [Fact]
    public void Emails_compare_case_insensitively_after_trimming()
    {
        Assert.Equal(AccountRules.NormalizeEmail("Someone@Example.com "), AccountRules.NormalizeEmail(" someone@example.COM"));
    }
}
