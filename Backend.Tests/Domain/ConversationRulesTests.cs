using Phase4.Domain.Conversations;

namespace Phase4.Tests.Domain;

public sealed class ConversationRulesTests
{
    [Fact]
    public void A_short_first_message_is_the_title_on_one_line()
    {
        Assert.Equal("Add milk to my list", ConversationRules.TitleFrom("  Add milk\n to   my list  "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    public void A_blank_first_message_gets_a_default_title(string message)
    {
        Assert.Equal("New conversation", ConversationRules.TitleFrom(message));
    }

    [Fact]
    public void A_long_first_message_is_cut_at_a_word_with_an_ellipsis()
    {
        var message = string.Join(' ', Enumerable.Repeat("word", 40));

        var title = ConversationRules.TitleFrom(message);

        Assert.True(title.Length <= ConversationRules.TitleMaxLength, title);
        Assert.EndsWith("word…", title, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_message_without_spaces_is_cut_at_the_limit()
    {
        var title = ConversationRules.TitleFrom(new string('x', 500));

        Assert.Equal(ConversationRules.TitleMaxLength, title.Length);
        Assert.EndsWith("…", title, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_limit_is_4000_characters()
    {
        Assert.Equal(4000, ConversationRules.MessageMaxLength);
    }
}
