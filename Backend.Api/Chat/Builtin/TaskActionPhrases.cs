using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>Reads requests to complete, delete or change one task ("mark task 3 as done", "remove the meeting task").</summary>
public static partial class TaskActionPhrases
{
    /// <summary>The request, or null when the cleaned text is not about completing, deleting or changing a task.</summary>
    public static Intent? Read(string text, string? previousAnswer)
    {
        if (Reopen().IsMatch(text) || ReopenVerb().IsMatch(text))
        {
            return new ConversationalIntent(ConversationalKind.CannotReopen);
        }

        foreach (var pattern in CompletePatterns)
        {
            if (pattern.Match(text) is { Success: true } match && !LooksLikeQuestion(match.Groups["t"].Value))
            {
                return Targeting(TaskAction.Complete, match.Groups["t"].Value, previousAnswer);
            }
        }

        if (DeleteTarget(text) is { } deleteTarget)
        {
            return Targeting(TaskAction.Delete, deleteTarget, previousAnswer);
        }

        return UpdatePhrases.Read(text, previousAnswer);
    }

    /// <summary>An intent for <paramref name="action"/> on the task the words name, or a question back when they name none.</summary>
    public static Intent Targeting(
        TaskAction action, string words, string? previousAnswer, string? newTitle = null, string? newDescription = null)
    {
        var read = TaskReferenceReader.Read(words);
        return read.Kind switch
        {
            ReferenceKind.Named => new TaskActionIntent(action, read.Reference!, newTitle, newDescription),
            ReferenceKind.Pronoun when PreviousTask(previousAnswer) is { } id =>
                new TaskActionIntent(action, new TaskReference.ById(id), newTitle, newDescription),
            ReferenceKind.Everything or ReferenceKind.Several =>
                new ConversationalIntent(ConversationalKind.OneAtATime, Replies.Verb(action)),
            _ => new ConversationalIntent(ConversationalKind.UnclearReference, Replies.Verb(action)),
        };
    }

    /// <summary>The one task id the previous answer named ("… as task 5."), for "delete it".</summary>
    private static int? PreviousTask(string? previousAnswer)
    {
        if (previousAnswer is null)
        {
            return null;
        }

        var ids = TaskIdMention().Matches(previousAnswer).Select(m => TaskReferenceReader.ReadId(m.Groups["id"].Value)).Distinct().ToList();
        return ids.Count == 1 ? ids[0] : null;
    }

    private static string? DeleteTarget(string text) =>
        DeleteOff().Match(text) is { Success: true } off ? off.Groups["t"].Value
        : Delete().Match(text) is { Success: true } delete ? delete.Groups["t"].Value
        : NoLongerNeeded().Match(text) is { Success: true } noLonger ? noLonger.Groups["t"].Value
        : null;

    private static bool LooksLikeQuestion(string target) => QuestionWord().IsMatch(target);

    private static readonly Regex[] CompletePatterns =
    [
        MarkAsDone(), DoneWith(), IFinished(), CheckOff(), CompleteVerb(), IsDone(),
    ];

    [GeneratedRegex(@"\btask\s+#?(?<id>\d+)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TaskIdMention();

    [GeneratedRegex(@"^(?:what|which|who|how|when|where|why|do|does|did|have|has|is|are|any|nothing)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex QuestionWord();

    [GeneratedRegex(
        @"^(?:mark|set|flag|make|move|put)\s+(?<t>.+?)\s+(?:as\s+|to\s+|back\s+to\s+)?(?:not\s+(?:yet\s+)?(?:done|complete|completed|finished)|incomplete|uncompleted|unfinished|undone|pending|open|active|to\s*-?\s*do)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Reopen();

    [GeneratedRegex(@"^(?:re-?open|uncheck|untick|unmark|un-?complete|undo|restore|revive)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReopenVerb();

    [GeneratedRegex(
        @"^(?:mark|set|flag|check|tick|cross|make)\s+(?<t>.+?)\s+(?:as\s+|to\s+)?(?:done|complete|completed|finished|checked(?:\s+off)?|ticked(?:\s+off)?|crossed\s+off|closed|resolved)(?:\s+now)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MarkAsDone();

    [GeneratedRegex(
        @"^(?:complete|finish|finished|completed|close|resolve|check\s+off|tick\s+off|cross\s+off|mark\s+off|strike\s+off|done)\s*[:\-]?\s+(?<t>.+?)(?:\s+as\s+(?:done|complete|completed))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CompleteVerb();

    [GeneratedRegex(@"^(?:check|tick|cross|mark|strike)\s+(?<t>.+?)\s+off(?:\s+(?:my|the)\s+list)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CheckOff();

    [GeneratedRegex(
        @"^(?:i\s*(?:'m|am)\s+|i'?ve\s+|i\s+have\s+|we'?re\s+)?(?:all\s+|totally\s+|finally\s+|now\s+)?(?:done|finished|through)\s+with\s+(?<t>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoneWith();

    [GeneratedRegex(
        @"^(?:i|we)\s*(?:'ve|\s+have)?\s+(?:just\s+|already\s+|finally\s+|now\s+)?(?:finished|completed|done|did|accomplished|wrapped\s+up|ticked\s+off|checked\s+off)\s+(?<t>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IFinished();

    [GeneratedRegex(
        @"^(?<t>.+?)\s+(?:is|are|was|has\s+been|have\s+been|'s)\s+(?:now\s+|all\s+|already\s+|finally\s+)?(?:done|complete|completed|finished|taken\s+care\s+of|sorted(?:\s+out)?|handled)(?:\s+now)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IsDone();

    [GeneratedRegex(
        @"^(?:delete|remove|erase|drop|trash|bin|discard|scrap|destroy|cancel|clear|get\s+rid\s+of|throw\s+away|throw\s+out|cross\s+out|wipe|purge)\s+(?<t>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Delete();

    [GeneratedRegex(@"^(?:take|strike)\s+(?<t>.+?)\s+off\s+(?:of\s+)?(?:my|the)\s+(?:[\w-]+\s+)?list$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DeleteOff();

    [GeneratedRegex(
        @"^i\s+(?:don'?t|do\s+not|no\s+longer)\s+(?:need|have)\s+to\s+(?<t>.+?)(?:\s+any\s*more|\s+after\s+all)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NoLongerNeeded();
}
