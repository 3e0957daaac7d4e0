using System.Globalization;
using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>How the words naming a task were understood.</summary>
public enum ReferenceKind
{
    /// <summary>A task id or title words: <see cref="ReadReference.Reference"/> is set.</summary>
    Named,

    /// <summary>"it", "that one": the task the previous answer named.</summary>
    Pronoun,

    /// <summary>"all my tasks", "everything".</summary>
    Everything,

    /// <summary>"tasks 2 and 3".</summary>
    Several,

    Nothing,
}

public sealed record ReadReference(ReferenceKind Kind, TaskReference? Reference = null);

/// <summary>Reads "task 3", "#3", "the meeting task", "'Buy groceries'", "it" into a task reference.</summary>
public static partial class TaskReferenceReader
{
    public static ReadReference Read(string words)
    {
        var text = ListSuffix().Replace(words.Trim(), string.Empty);
        text = TrailingPunctuation().Replace(text, string.Empty);

        if (Phrase.Quoted(text) is { Length: > 0 } quoted && !IdOnly().IsMatch(text))
        {
            return new ReadReference(ReferenceKind.Named, new TaskReference.ByTitle(quoted));
        }

        if (Pronoun().IsMatch(text))
        {
            return new ReadReference(ReferenceKind.Pronoun);
        }

        if (Everything().IsMatch(text))
        {
            return new ReadReference(ReferenceKind.Everything);
        }

        if (SeveralIds().IsMatch(text))
        {
            return new ReadReference(ReferenceKind.Several);
        }

        if (ReadId(text) is { } id)
        {
            return new ReadReference(ReferenceKind.Named, new TaskReference.ById(id));
        }

        var title = text;
        string before;
        do
        {
            before = title;
            title = LeadingNoise().Replace(title, string.Empty);
            title = TrailingNoise().Replace(title, string.Empty);
        }
        while (title != before);

        return title.Length == 0
            ? new ReadReference(ReferenceKind.Nothing)
            : new ReadReference(ReferenceKind.Named, new TaskReference.ByTitle(title));
    }

    /// <summary>"task 3", "#3", "3", "number three", "task id 3" → 3.</summary>
    public static int? ReadId(string text)
    {
        var match = IdOnly().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        if (match.Groups["id"].Success)
        {
            return int.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }

        return Array.IndexOf(NumberWords, match.Groups["word"].Value.ToLowerInvariant()) + 1;
    }

    private static readonly string[] NumberWords =
    [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    ];

    [GeneratedRegex(
        "^(?:the\\s+)?(?:(?:task|item|todo|to-do|entry|reminder|number|no\\.?|id|#)\\s*)*#?\\s*(?:\"|')?(?<id>\\d{1,10})(?:\"|')?$" +
        "|^(?:the\\s+)?(?:task|item|todo|number|no\\.?|#)\\s*(?:number\\s+)?(?<word>one|two|three|four|five|six|seven|eight|nine|ten" +
        "|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IdOnly();

    [GeneratedRegex(@"\d+\s*(?:,|and|&|\+|or)\s*(?:(?:task|item|number|#)\s*)?#?\d+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SeveralIds();

    [GeneratedRegex(
        @"^(?:it|that|this|that\s+one|this\s+one|that\s+task|this\s+task|the\s+same\s+(?:one|task)|the\s+one\s+(?:i\s+)?(?:just\s+)?(?:added|created|made|mentioned)|the\s+(?:last|new)\s+(?:one|task))$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pronoun();

    [GeneratedRegex(
        @"^(?:(?:my|the|of|them|these|those)\s+)*(?:all|every|each|whole|entire)\b.*$" +
        @"|^(?:(?:my|the)\s+)?(?:completed|done|finished|pending|open|old|remaining)\s+(?:tasks|todos|to-dos|items|ones)$" +
        @"|^(?:everything|them|them\s+all|both|both\s+of\s+them|these|those)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Everything();

    [GeneratedRegex(@"\s+(?:from|on|in|off|of)\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:list|tasks|todos?|to-dos?)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListSuffix();

    [GeneratedRegex(@"[\s.!?,;:]+$")]
    private static partial Regex TrailingPunctuation();

    [GeneratedRegex(
        @"^(?:(?:the|my|a|an|that|this|our|one)\s+|(?:task|item|todo|to-do|entry|reminder)s?\b\s*(?:(?:called|named|titled|about|for|to|that\s+says|saying|with\s+the\s+title)\s+)?|(?:called|named|titled|about)\s+)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingNoise();

    [GeneratedRegex(@"\s+(?:task|item|todo|to-do|one|entry|reminder)s?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TrailingNoise();
}
