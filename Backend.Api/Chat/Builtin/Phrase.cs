using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Turns a typed message into its core request: typographic quotes made plain, greetings, politeness and
/// fillers ("can you please", "ok so", "thanks") trimmed off both ends. The words' case is kept for titles.
/// </summary>
public static partial class Phrase
{
    public static string Clean(string message)
    {
        var text = Whitespace().Replace(
            message.Replace('\u201C', '"').Replace('\u201D', '"').Replace('\u201E', '"')
                .Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u2014', '-').Replace('\u2013', '-'),
            " ").Trim();

        string before;
        do
        {
            before = text;
            text = LeadingFiller().Replace(text, string.Empty, 1);
            text = TrailingFiller().Replace(text, string.Empty, 1);
        }
        while (text != before);

        return text;
    }

    /// <summary>The text inside the first pair of quotes, or null. Apostrophes (don't, mom's) are not quotes.</summary>
    public static string? Quoted(string text)
    {
        var match = QuotedText().Match(text);
        return match.Success ? match.Groups["q"].Value.Trim() : null;
    }

    /// <summary>True when the whole text is one quoted phrase.</summary>
    public static bool IsWhollyQuoted(string text)
    {
        var match = QuotedText().Match(text.Trim());
        return match.Success && match.Length == text.Trim().Length;
    }

    /// <summary>
    /// A task title from the user's words: quoted text is taken verbatim; otherwise trailing punctuation goes and the
    /// first letter is capitalised ("buy groceries" → "Buy groceries").
    /// </summary>
    public static string AsTitle(string words)
    {
        if (Quoted(words) is { Length: > 0 } quoted)
        {
            return quoted;
        }

        var title = TrailingPunctuation().Replace(words.Trim(), string.Empty);
        return title.Length > 0 && char.IsLower(title[0]) ? char.ToUpperInvariant(title[0]) + title[1..] : title;
    }

    /// <summary>Free text (a description): quotes removed when they wrap it all, otherwise as typed.</summary>
    public static string AsText(string words) =>
        IsWhollyQuoted(words) ? Quoted(words)! : TrailingPunctuation().Replace(words.Trim(), string.Empty);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[\s.!?,;:]+$")]
    private static partial Regex TrailingPunctuation();

    [GeneratedRegex("\"(?<q>[^\"]+)\"|(?<![\\p{L}\\p{N}])'(?<q>[^']+)'(?![\\p{L}\\p{N}])")]
    private static partial Regex QuotedText();

    [GeneratedRegex(
        @"^(?:(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day))(?:\s+there)?\b[\s,!.]*" +
        @"|(?:ok(?:ay)?|so|well|alright|all\s+right|um+|uh+|hmm+|oh|ah|also|and|then|actually|now|quick\s+one)\b[\s,!.]+" +
        @"|(?:please|pls|plz|kindly)\b[\s,]*" +
        @"|(?:hey\s+)?(?:assistant|bot|todo\s*bot)\b[\s,:]+" +
        @"|(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+|just\s+)?" +
        @"|(?:let'?s|let\s+us|go\s+ahead\s+and|help\s+me|just|quickly)\s+(?=\S)" +
        @"|let\s+me\s+(?=(?:see|know|view|check|look)\b))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingFiller();

    [GeneratedRegex(
        @"(?:[\s,]*\b(?:please|pls|plz|thanks|thank\s+you|thx|for\s+me|(?:can|could|would|will)\s+you)\b)?[\s.!?;,]*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingFiller();
}
