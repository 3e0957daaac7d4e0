using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>Greetings, help, thanks and goodbyes, and requests to act for someone else.</summary>
public static partial class SmallTalkPhrases
{
    /// <summary>Reads a cleaned message that is only small talk; null when it asks for something else.</summary>
    public static Intent? Read(string text) =>
        Help().IsMatch(text) ? new ConversationalIntent(ConversationalKind.Help)
        : Thanks().IsMatch(text) ? new ConversationalIntent(ConversationalKind.Thanks)
        : Goodbye().IsMatch(text) ? new ConversationalIntent(ConversationalKind.Goodbye)
        : Greeting().IsMatch(text) ? new ConversationalIntent(ConversationalKind.Greeting)
        : null;

    /// <summary>True when the raw message opens with a greeting ("hi", "good morning").</summary>
    public static bool StartsWithGreeting(string message) => Greeting().IsMatch(message.Trim().TrimEnd('!', '.', ' '))
        || GreetingOpening().IsMatch(message);

    /// <summary>
    /// Requests that name another user, account or the whole database, or that try to override the assistant's rules.
    /// The tools act only for the signed-in user anyway; saying so plainly beats silently doing something else.
    /// </summary>
    public static bool ActsForSomeoneElse(string message) => SomeoneElse().IsMatch(message) || Override().IsMatch(message);

    /// <summary>"bob's tasks": refused for anything but adding (where "check Bob's list" is just a title).</summary>
    public static bool NamesSomeoneElsesTasks(string message) => SomeonesTasks().IsMatch(message);

    [GeneratedRegex(
        @"^(?:help(?:\s+me)?|i\s+need\s+(?:some\s+)?help|\?+|what\s+can\s+(?:you|i)\s+(?:do|say|ask)(?:\s+here)?|what\s+(?:do|can)\s+you\s+(?:do|help\s+(?:me\s+)?with)" +
        @"|how\s+(?:does\s+(?:this|it)\s+work|do\s+i\s+use\s+(?:this|you|it)|can\s+you\s+help(?:\s+me)?|do\s+you\s+work)|commands|options|menu|instructions" +
        @"|what\s+are\s+you|who\s+are\s+you|what\s+do\s+you\s+understand|what\s+are\s+(?:the|your)\s+(?:commands|options))$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Help();

    [GeneratedRegex(
        @"^(?:thanks|thank\s+you|thx|ty|cheers|great|awesome|perfect|cool|nice|ok(?:ay)?|got\s+it|good|excellent|wonderful|sounds\s+good" +
        @"|appreciate\s+it|much\s+appreciated|that'?s\s+(?:great|perfect|helpful))(?:\s+(?:so\s+much|a\s+lot|very\s+much|again|mate|buddy))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Thanks();

    [GeneratedRegex(
        @"^(?:bye|goodbye|good\s+bye|bye\s+bye|see\s+(?:you|ya)(?:\s+later)?|later|good\s+night|that'?s\s+all|that\s+is\s+all|nothing\s+else|that'?s\s+it(?:\s+for\s+now)?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Goodbye();

    [GeneratedRegex(
        @"^(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day)|how\s+are\s+you(?:\s+doing)?(?:\s+today)?|how'?s\s+it\s+going|what'?s\s+up|sup)(?:\s+there)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Greeting();

    [GeneratedRegex(@"^\s*(?:hi|hello|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening|day))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GreetingOpening();

    [GeneratedRegex(
        @"\buser[_\s-]?id\b|\b(?:for|as|of)\s+(?:the\s+)?(?:user|account)\s+\S|\b(?:another|other|different|all|every)\s+(?:users?|accounts?)\b" +
        @"|\bsomeone\s+else|\bsomebody\s+else|\b(?:all|every)\s+(?:tasks?|conversations?|chats?)\s+(?:in|from)\s+the\s+(?:whole\s+)?(?:database|system|app)\b" +
        @"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SomeoneElse();

    [GeneratedRegex(
        @"\b(?!(?:today|tomorrow|yesterday|tonight|week|weekend|month|year|day|morning|evening|what|that|it|here|there|let|who|where|how)'s\b)[a-z]+'s\s+(?:tasks?|todos?|to-dos?|list|conversations?|chats?|account)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SomeonesTasks();

    [GeneratedRegex(
        @"\bignore\s+(?:all\s+|any\s+)?(?:the\s+|your\s+|my\s+)?(?:previous|prior|above|earlier|former|system)?\s*(?:instructions|rules|prompts?|directions)\b" +
        @"|\bsystem\s+prompt\b|\byou\s+are\s+now\b|\bdeveloper\s+mode\b|\bjailbreak|\bpretend\s+(?:to\s+be|you\s+are)\b|\bact\s+as\s+(?:an?\s+)?(?:admin|administrator|root|another|different)\b" +
        @"|\b(?:admin|administrator|root|sudo|superuser)\s+(?:mode|access|privileges|rights)\b|\bdrop\s+table\b|\bselect\s+\*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Override();
}
