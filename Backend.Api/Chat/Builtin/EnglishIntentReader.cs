using System.Text.RegularExpressions;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Reads one chat message, in everyday English, as an <see cref="Intent"/>: add, list, complete, delete or update, or
/// small talk, in the light of what the previous turn left (<see cref="TurnContext"/>). Each kind of request has one
/// pattern, tried in an order that lets "add a task to delete old emails" be an add; the words naming a task are read
/// by <see cref="TaskReferences"/>.
/// </summary>
public static partial class EnglishIntentReader
{
    public static Intent Read(string message, TurnContext context)
    {
        var text = Phrase.Clean(message);
        Intent intent = Phrase.SmallTalkIn(text, message) is { } smallTalk
            ? new ConversationalIntent(smallTalk)
            : ReadRequest(text, context) ?? new ConversationalIntent(ConversationalKind.Unknown);

        // "task 3", "the second one", "never mind", "yes": an answer to the previous turn's question, if it asked one.
        return Phrase.ActsForSomeoneElse(message, adding: intent is AddTaskIntent) ? new ConversationalIntent(ConversationalKind.OtherUser)
            : context.Choice is { } choice && intent is ConversationalIntent { Kind: ConversationalKind.Unknown } ? TaskReferences.Answer(text, choice) ?? intent
            : intent;
    }

    private static Intent? ReadRequest(string text, TurnContext context) =>
        Reopen().IsMatch(text) ? new ConversationalIntent(ConversationalKind.CannotReopen)
        : Update().Match(text) is { Success: true } update ? ReadUpdate(update, context)
        : Add().Match(text) is { Success: true } add ? ReadAdd(add.Groups["rest"].Value)
        : List().IsMatch(text) ? new ListTasksIntent(Status().Match(text) is not { Success: true } status ? TaskStatusFilter.All
            : status.Groups["pending"].Success ? TaskStatusFilter.Pending
            : TaskStatusFilter.Completed)
        : Complete().Match(text) is { Success: true } complete ? TaskReferences.Target(TaskAction.Complete, complete.Groups["t"].Value, context)
        : Delete().Match(text) is { Success: true } delete ? TaskReferences.Target(TaskAction.Delete, delete.Groups["t"].Value, context)
        : null;

    private static Intent ReadAdd(string words)
    {
        var (titleWords, description) = SplitDescription(words);
        var title = Phrase.AsTitle(TaskReferences.WithoutLeadIn(titleWords));
        return title.Length == 0 ? new ConversationalIntent(ConversationalKind.MissingTitle) : new AddTaskIntent(title, description);
    }

    private static Intent ReadUpdate(Match update, TurnContext context)
    {
        var rest = update.Groups["rest"].Value;
        var split = SplitAtQuotedValue().Match(rest) is { Success: true } quoted ? quoted : SplitAtValue().Match(rest);
        if (!split.Success)
        {
            return new ConversationalIntent(ConversationalKind.MissingNewValue);
        }

        var target = split.Groups["t"].Value;
        var describes = update.Groups["desc"].Success || IsDescription(split.Groups["f"]);
        if (FieldOfTarget().Match(target) is { Success: true } named)
        {
            (target, describes) = (named.Groups["t"].Value, IsDescription(named.Groups["f"]));
        }

        var value = split.Groups["v"].Value;
        if (describes)
        {
            return TaskReferences.Target(TaskAction.Update, target, context, newDescription: Phrase.AsText(value));
        }

        if (value.ToLowerInvariant() is "done" or "complete" or "completed" or "finished")
        {
            return TaskReferences.Target(TaskAction.Complete, target, context); // "set task 2 to done"
        }

        // "rename task 1 to X with description Y" changes both.
        var (newTitle, newDescription) = SplitDescription(value);
        return TaskReferences.Target(TaskAction.Update, target, context, Phrase.AsTitle(newTitle), newDescription);
    }

    private static bool IsDescription(Group field) => field.Value.Equals("description", StringComparison.OrdinalIgnoreCase);

    /// <summary>"X with description Y", "X, description: Y" → ("X", "Y").</summary>
    private static (string Words, string? Description) SplitDescription(string words) =>
        DescriptionClause().Match(words) is { Success: true } clause ? (words[..clause.Index], Phrase.AsText(clause.Groups["d"].Value)) : (words, null);

    [GeneratedRegex(
        @"^(?:re-?open|uncheck|untick|unmark|undo)\b" +
        @"|^(?:mark|set)\s+.+?\s+(?:as\s+|to\s+)?(?:not\s+(?:yet\s+)?(?:done|complete|completed|finished)|incomplete|unfinished|undone|pending)$",
        Phrase.AnyCase)]
    private static partial Regex Reopen();

    /// <summary>"change/rename/update/edit/set …", "add a note to …"; not "set a reminder to …", which adds.</summary>
    [GeneratedRegex(
        @"^(?:change|rename|update|edit|modify|set|add\s+(?:a\s+|the\s+)?(?<desc>description|note|notes|details)\s+(?:to|for))(?!\s+an?\s)\s+(?<rest>.+)$",
        Phrase.AnyCase)]
    private static partial Regex Update();

    /// <summary>A quoted new value splits at the last "to", so "change the go to gym task to 'Gym'" works.</summary>
    [GeneratedRegex(@"^(?<t>.+)(?:\s+(?:to\s+say|to|as)\s+|\s*:\s*)(?<v>""[^""]+""|'[^']+')$", Phrase.AnyCase)]
    private static partial Regex SplitAtQuotedValue();

    [GeneratedRegex(
        @"^(?<t>.+?)(?:\s+(?:to\s+say|to|as)\s+|\s*:\s*|\s+with\s+(?:the\s+|a\s+)?(?:new\s+)?(?<f>description|title|name)\s*:?\s*)(?<v>.+)$",
        Phrase.AnyCase)]
    private static partial Regex SplitAtValue();

    /// <summary>"the description of task 2", "task 1's title", "the groceries task description".</summary>
    [GeneratedRegex(
        @"^(?:the\s+)?(?<f>description|title|name)\s+of\s+(?<t>.+)$|^(?<t>.+?)(?:'s)?\s+(?<f>description|title|name)$",
        Phrase.AnyCase)]
    private static partial Regex FieldOfTarget();

    /// <summary>"add …", "todo: …", "set a reminder to …", "remind me to …", "don't let me forget to …", "I need to …".</summary>
    [GeneratedRegex(
        @"^(?:add|create|new|(?:set|make)(?=\s+an?\s)|(?:to-?do|task|reminder)(?=\s*[:\-])|remind\s+me" +
        @"|(?:i\s+(?:need|have)\s+to\s+)?remember|(?:don't|do\s+not)\s+let\s+me\s+forget|i\s+(?:must\s+not|mustn't|can't|shouldn't)\s+forget" +
        @"|i\s+(?:need|have|got)\s+to|i\s+must|gotta)(?![\w'-])(?<rest>.*)$",
        Phrase.AnyCase)]
    private static partial Regex Add();

    [GeneratedRegex(@"(?:,?\s+with\s+(?:the\s+|a\s+)?|,\s*)(?:description|notes?|details)\b\s*[:=]?\s*(?<d>.+)$", Phrase.AnyCase)]
    private static partial Regex DescriptionClause();

    /// <summary>A question or "show" about tasks ("what's pending?", "list my tasks"), or just "my tasks".</summary>
    [GeneratedRegex(
        @"^(?:show|list|see|view|display|what|whats|which|how\s+many|any|anything)\b.*\b(?:tasks?|to-?dos?|list|everything|pending|left|outstanding|remaining|still|done|completed?|finish(?:ed)?)\b" +
        @"|^(?:(?:my|all|pending|completed|finished)\s+)*(?:tasks|to-?dos|to-?do\s+list)$|^(?:pending|completed)$",
        Phrase.AnyCase)]
    private static partial Regex List();

    [GeneratedRegex(
        @"\b(?:(?<pending>pending|left|outstanding|remaining|still|open|incomplete|unfinished|not\s+(?:yet\s+)?(?:done|completed?|finished)|to\s+do\b(?!\s+list))" +
        @"|(?<completed>completed?|done|finish(?:ed)?))\b",
        Phrase.AnyCase)]
    private static partial Regex Status();

    [GeneratedRegex(
        @"^(?:(?:mark|check|tick)\s+(?<t>.+?)\s+(?:as\s+)?(?:done|complete|completed|finished)" +
        @"|(?:complete|finish|check\s+off|tick\s+off|cross\s+off)\s+(?<t>.+)|(?:check|tick|cross)\s+(?<t>.+?)\s+off" +
        @"|(?:i'm\s+|i\s+am\s+)?(?:done|finished)\s+with\s+(?<t>.+)|i(?:'ve|\s+have)?\s+(?:just\s+)?(?:finished|completed|did|done)\s+(?<t>.+)" +
        @"|(?<t>.+?)\s+(?:(?:is|are|was)\s+)?(?:now\s+)?(?:done|complete|completed|finished)(?:\s+now)?)$",
        Phrase.AnyCase)]
    private static partial Regex Complete();

    [GeneratedRegex(
        @"^(?:(?:delete|remove|erase|cancel|clear|drop|get\s+rid\s+of)\s+(?<t>.+)|take\s+(?<t>.+?)\s+off\s+(?:my|the)\s+list" +
        @"|i\s+(?:don't|do\s+not|no\s+longer)\s+need\s+to\s+(?<t>.+?)(?:\s+any\s*more)?)$",
        Phrase.AnyCase)]
    private static partial Regex Delete();
}
