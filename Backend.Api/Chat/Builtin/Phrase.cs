using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// The words around a request: typographic quotes made plain, greetings and politeness ("hi", "can you please",
/// "thanks") trimmed off both ends, small talk recognised, and requests for someone else's tasks refused.
/// </summary>
public static partial class Phrase
{
    public const RegexOptions AnyCase = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    private static readonly Dictionary<string, ConversationalKind> SmallTalk = new (ConversationalKind Kind, string[] Phrases)[]
    {
        (ConversationalKind.Greeting, ["how are you", "how's it going", "what's up"]),
        (ConversationalKind.Help, ["help", "help me", "what can you do", "how does this work", "how do i use this", "who are you", "what are you"]),
        (ConversationalKind.Thanks, ["thank you so much", "great", "awesome", "perfect", "cool", "nice", "ok", "okay", "got it"]),
        (ConversationalKind.Goodbye, ["bye", "goodbye", "see you", "that's all", "good night"]),
    }.SelectMany(group => group.Phrases.Select(phrase => (phrase, group.Kind))).ToDictionary(StringComparer.OrdinalIgnoreCase);

    public static string Clean(string message)
    {
        var text = string.Join(' ', message
            .Replace('\u201C', '"').Replace('\u201D', '"').Replace('\u2018', '\'').Replace('\u2019', '\'').Replace('\u2013', '-')
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return TrailingFiller().Replace(LeadingFiller().Replace(text, string.Empty, 1), string.Empty, 1);
    }

    /// <summary>Greetings, help, thanks and goodbyes; null when the cleaned message asks for something else.</summary>
    public static ConversationalKind? SmallTalkIn(string cleaned, string message)
    {
        if (cleaned.Length > 0)
        {
            return SmallTalk.TryGetValue(cleaned, out var kind) ? kind : null;
        }

        // Nothing but pleasantries: "thanks!", "hello", "please".
        var said = message.Trim().TrimEnd('.', '!', '?', ' ');
        return SmallTalk.TryGetValue(said, out var saidKind) ? saidKind
            : said.Contains("thank", StringComparison.OrdinalIgnoreCase) ? ConversationalKind.Thanks
            : LeadingFiller().Match(said).Groups["greeting"].Success ? ConversationalKind.Greeting
            : ConversationalKind.Help;
    }

    /// <summary>
    /// Requests that name another user, account or the whole database, or that try to override the assistant's rules;
    /// unless <paramref name="adding"/>, also "bob's tasks" (a new task may well be called "Check Bob's list"). The
    /// tools act only for the signed-in user anyway; saying so plainly beats silently doing something else.
    /// </summary>
    public static bool ActsForSomeoneElse(string message, bool adding) =>
        SomeoneElse().IsMatch(message) || (!adding && SomeonesTasks().IsMatch(message));

    /// <summary>The text inside the first pair of quotes, or null. Apostrophes (don't, mom's) are not quotes.</summary>
    public static string? Quoted(string text) => QuotedText().Match(text) is { Success: true } match ? match.Groups["q"].Value.Trim() : null;

    /// <summary>A task title: quoted text verbatim; otherwise without trailing punctuation and with a capital first letter.</summary>
    public static string AsTitle(string words) =>
        Quoted(words) is { Length: > 0 } quoted ? quoted
        : WithoutEndPunctuation(words) is { Length: > 0 } title ? char.ToUpperInvariant(title[0]) + title[1..]
        : string.Empty;

    /// <summary>Free text (a description): quotes removed when they wrap it all, otherwise as typed.</summary>
    public static string AsText(string words) =>
        WithoutEndPunctuation(words) is var text && Quoted(text) is { } quoted && text.Length == quoted.Length + 2 ? quoted : text;

    private static string WithoutEndPunctuation(string words) => words.Trim().TrimEnd('.', '!', '?', ',', ';', ':', ' ');

    [GeneratedRegex("\"(?<q>[^\"]+)\"|(?<![\\p{L}\\p{N}])'(?<q>[^']+)'(?![\\p{L}\\p{N}])")]
    private static partial Regex QuotedText();

    /// <summary>Fillers, one after another ("ok so can you please"); the group <c>greeting</c> is set when one was a greeting.</summary>
    [GeneratedRegex(
        @"^(?:(?<greeting>hi|hello|hey|good\s+(?:morning|afternoon|evening))(?:\s+there)?\b[\s,!.]*" +
        @"|(?:ok(?:ay)?|so|well|alright|actually|also|now)\b[\s,!.]+|(?:please|kindly)\b[\s,]*" +
        @"|(?:can|could|would|will)\s+you\s+|(?:i'?d\s+like|i\s+would\s+like|i\s+want)\s+to\s+|(?:let\s+me|just)\s+)+",
        AnyCase)]
    private static partial Regex LeadingFiller();

    [GeneratedRegex(@"(?:[\s,]*\b(?:please|thanks|thank\s+you|for\s+me)\b)*[\s.!?;,]*$", AnyCase)]
    private static partial Regex TrailingFiller();

    [GeneratedRegex(
        @"\buser[_\s-]?id\b|\b(?:for|as|of)\s+(?:the\s+)?(?:user|account)\s+\S|\b(?:another|other|every|all)\s+(?:users?|accounts?)\b" +
        @"|\bsome(?:one|body)\s+else|\btasks?\s+in\s+the\s+(?:whole\s+)?database\b|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b" +
        @"|\bignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+)?(?:previous\s+|prior\s+|above\s+)?(?:instructions|rules|prompts?)\b" +
        @"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\b(?:admin|root)\s+(?:mode|access)\b",
        AnyCase)]
    private static partial Regex SomeoneElse();

    [GeneratedRegex(@"\b(?!(?:today|tomorrow|tonight|what|that|it|here|there|let)'s)[a-z]+'s\s+(?:tasks?|to-?dos?|list|account)\b", AnyCase)]
    private static partial Regex SomeonesTasks();
}
