using Phase4.Domain.Tasks;

namespace Phase4.Tests.Domain;

public sealed class TaskRulesTests
{
    [Theory]
    [InlineData("Buy milk", "Buy milk")]
    [InlineData("  padded \t", "padded")]
    [InlineData("émoji 🎉", "émoji 🎉")]
    [InlineData("<script>alert(1)</script>", "<script>alert(1)</script>")]
    public void A_valid_title_is_trimmed(string title, string expected)
    {
        Assert.Null(TaskRules.ValidateTitle(title, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void A_missing_or_blank_title_is_refused(string? title) =>
        Assert.NotNull(TaskRules.ValidateTitle(title, out _));

    [Fact]
    public void The_title_may_be_200_characters_after_trimming_but_not_201()
    {
        Assert.Null(TaskRules.ValidateTitle("  " + new string('a', 200) + "  ", out _));
        Assert.NotNull(TaskRules.ValidateTitle(new string('a', 201), out _));
    }

    [Fact]
    public void A_surrogate_pair_counts_as_valid_text()
    {
        Assert.Null(TaskRules.ValidateTitle("\ud83c\udf89", out _));
    }

    /// <summary>
    /// Built in code: a lone surrogate cannot survive an attribute argument (it is stored as UTF-8 in metadata).
    /// </summary>
    private static readonly Dictionary<string, string> BadText = new()
    {
        ["line break"] = "line\nbreak",
        ["tab"] = "tab\there",
        ["NUL"] = "nul\0",
        ["escape"] = "escape\u001b[0m",
        ["DEL"] = "delete\u007f",
        ["C1 control"] = "next\u0085line",
        ["lone high surrogate"] = "lone high \ud800 surrogate",
        ["lone low surrogate"] = "lone low \udc00 surrogate",
        ["trailing high surrogate"] = "ends with high \ud800",
        ["reversed pair"] = "reversed \udc00\ud800 pair",
    };

    [Theory]
    [InlineData("line break")]
    [InlineData("tab")]
    [InlineData("NUL")]
    [InlineData("escape")]
    [InlineData("DEL")]
    [InlineData("C1 control")]
    [InlineData("lone high surrogate")]
    [InlineData("lone low surrogate")]
    [InlineData("trailing high surrogate")]
    [InlineData("reversed pair")]
    public void A_title_with_control_characters_or_lone_surrogates_is_refused(string sample) =>
        Assert.NotNull(TaskRules.ValidateTitle(BadText[sample], out _));

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("   ", null)]
    [InlineData("details", "details")]
    [InlineData("line one\nline two\r\n\tindented", "line one\nline two\r\n\tindented")]
    public void A_description_is_optional_and_may_have_line_breaks_and_tabs(string? description, string? expected)
    {
        Assert.Null(TaskRules.ValidateDescription(description, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Fact]
    public void The_description_may_be_1000_characters_but_not_1001()
    {
        Assert.Null(TaskRules.ValidateDescription(new string('d', 1000), out _));
        Assert.NotNull(TaskRules.ValidateDescription(new string('d', 1001), out _));
    }

    [Theory]
    [InlineData("NUL")]
    [InlineData("escape")]
    [InlineData("lone high surrogate")]
    [InlineData("reversed pair")]
    public void A_description_with_other_control_characters_or_lone_surrogates_is_refused(string sample) =>
        Assert.NotNull(TaskRules.ValidateDescription(BadText[sample], out _));

    [Theory]
    [InlineData(1, 0)]
    [InlineData(50, 0)]
    [InlineData(200, int.MaxValue)]
    public void Valid_pages_pass(int limit, int offset)
    {
        Assert.Null(TaskRules.ValidatePage(limit, offset, out var field));
        Assert.Null(field);
    }

    [Theory]
    [InlineData(0, 0, "limit")]
    [InlineData(-1, 0, "limit")]
    [InlineData(201, 0, "limit")]
    [InlineData(int.MinValue, 0, "limit")]
    [InlineData(10, -1, "offset")]
    public void Invalid_pages_name_the_parameter(int limit, int offset, string expectedField)
    {
        Assert.NotNull(TaskRules.ValidatePage(limit, offset, out var field));
        Assert.Equal(expectedField, field);
    }

    [Fact]
    public void The_default_page_size_is_50_and_valid()
    {
        Assert.Equal(50, TaskRules.DefaultPageSize);
        Assert.Null(TaskRules.ValidatePage(TaskRules.DefaultPageSize, 0, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Ids_must_be_positive(int id) => Assert.NotNull(TaskRules.ValidateId(id));

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Positive_ids_are_valid(int id) => Assert.Null(TaskRules.ValidateId(id));
}
