using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Reads requests for a new task: "add a task to buy groceries", "I need to remember to pay bills",
/// "remind me to call mom", "todo: water the plants", "add milk to my list".
/// </summary>
public static partial class AddPhrases
{
    /// <summary>An explicit request to add ("add", "remind me", "todo:"); null otherwise.</summary>
    public static Intent? Read(string text)
    {
        if (AddVerb().Match(text) is { Success: true } add)
        {
            // After "add", words like "a new task called" introduce the title.
            return FromWords(add.Groups["rest"].Value, dropLeadIn: true);
        }

        foreach (var pattern in (Regex[])[Remember(), RemindMe(), Label()])
        {
            if (pattern.Match(text) is { Success: true } match)
            {
                return FromWords(match.Groups["rest"].Value, dropLeadIn: false);
            }
        }

        return null;
    }

    /// <summary>"I need to call the plumber": a chore stated as a need becomes a task.</summary>
    public static Intent? ReadNeed(string text) =>
        Need().Match(text) is { Success: true } need ? FromWords(need.Groups["rest"].Value, dropLeadIn: false) : null;

    /// <summary>The words after "I need to …", when they are themselves a request to the assistant.</summary>
    public static string? CommandAfterWish(string text) =>
        Wish().Match(text) is { Success: true } wish && AssistantCommand().IsMatch(wish.Groups["rest"].Value) ? wish.Groups["rest"].Value : null;

    private static Intent FromWords(string words, bool dropLeadIn)
    {
        var rest = words;
        string? description = null;
        if (DescriptionClause().Match(rest) is { Success: true } clause)
        {
            description = Phrase.AsText(clause.Groups["d"].Value);
            rest = rest[..clause.Index];
        }

        string before;
        do
        {
            before = rest;
            rest = dropLeadIn ? LeadIn().Replace(rest, string.Empty, 1) : rest.Trim();
            rest = ListSuffix().Replace(rest, string.Empty, 1);
        }
        while (rest != before);

        var title = Phrase.AsTitle(rest);
        return title.Length == 0
            ? new ConversationalIntent(ConversationalKind.MissingTitle)
            : new AddTaskIntent(title, string.IsNullOrWhiteSpace(description) ? null : description);
    }

    [GeneratedRegex(
        @"^(?:add|create|insert|save|record|log|jot\s+down|write\s+down|note\s+down|put\s+down|schedule|new" +
        @"|(?:make|set|set\s+up|put\s+in|enter)\s+(?:a\s+|an\s+)?(?:new\s+)?(?:task|todo|to-do|reminder|note|entry|item))(?=\s|$|:)(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddVerb();

    [GeneratedRegex(
        @"^(?:(?:i\s+)?(?:need|have|got|want|must|should|gotta|ought)\s+(?:to\s+)?remember|remember|(?:don'?t|do\s+not)\s+(?:let\s+me\s+)?forget" +
        @"|(?:i\s+)?(?:must\s+not|mustn'?t|can'?t|cannot|shouldn'?t|should\s+not|don'?t\s+want\s+to|won'?t|must|need\s+to|have\s+to)\s+(?:not\s+)?forget|never\s+forget)" +
        @"\s+(?:to\s+|that\s+i\s+(?:need|have|must)\s+to\s+|about\s+)?(?<rest>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Remember();

    [GeneratedRegex(
        @"^remind\s+me\s+(?:to\s+|about\s+|that\s+i\s+(?:need|have|must)\s+to\s+|of\s+)?(?<rest>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RemindMe();

    [GeneratedRegex(@"^(?:to-?do|task|reminder|note|new\s+task|new\s+todo|add)\s*[:\-]\s*(?<rest>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Label();

    [GeneratedRegex(
        @"^(?:i\s+|we\s+)?(?:(?:need|have|got|want|ought|plan|am\s+going|'m\s+going)\s+to|gotta|must|should|have\s+got\s+to)\s+(?<rest>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Need();

    [GeneratedRegex(
        @"^(?:i'?d|i\s+would|i|we)\s+(?:like|love|want|need|wish)\s+(?:you\s+)?to\s+(?<rest>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wish();

    /// <summary>Verbs that, after "I want to", address the assistant rather than name a chore.</summary>
    [GeneratedRegex(
        @"^(?:add|create|delete|remove|erase|mark|change|rename|update|edit|modify|list|view|show|" +
        @"see\s+(?:my|all|the\s+list|what|which|how)|know\s+(?:what|which|how|my|if)|check\s+(?:my|what|off|on\s+my)|" +
        @"(?:complete|finish|close)\s+(?:task\b|#|\d|the\s+\S+\s+task))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AssistantCommand();

    [GeneratedRegex(
        @"^(?:\s*(?:a|an|the|one|another|new|my|todo|to-do|task|item|reminder|entry|note|for\s+me|me)\b)+\s*|^\s*(?:called|named|titled|saying|that\s+says|which\s+says|to\s+say|about|to|of|for)\b\s*|^\s*[:\-]\s*" +
        @"|^\s*(?:to|on|onto|in|into)\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:list|tasks|todos?|to-dos?)\s*[:\-]?\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadIn();

    [GeneratedRegex(
        @"\s+(?:to|on|onto|in|into)\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:list|tasks|todos?|to-dos?|todo\s+list|to-do\s+list)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ListSuffix();

    [GeneratedRegex(
        @"\s*(?:,\s*)?(?:\s+with\s+(?:the\s+|a\s+)?(?:description|details|notes?)|\s*\(?(?:description|details|notes?)\s*[:=])\s*(?:of\s+|saying\s+|that\s+says\s+|[:=]\s*)?(?<d>.+?)\)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionClause();
}
