using System.Globalization;
using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Reads the words that name a task ("task 3", "#3", "the meeting task", "'Buy groceries'", "it"), and the user's
/// answer to a question the previous turn asked ("task 7", "the second one", "never mind", "yes").
/// </summary>
public static partial class TaskReferences
{
    private static readonly HashSet<string> Pronouns = new(["it", "that", "this", "that one", "this one", "that task", "this task"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Cancels =
        new(["no", "nope", "cancel", "never mind", "nevermind", "forget it", "none", "neither", "none of them", "stop"], StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> Yeses =
        new(["yes", "yeah", "yep", "sure", "correct", "right", "yes please", "do it", "go ahead", "that one"], StringComparer.OrdinalIgnoreCase);

    private static readonly string[] Ordinals = ["first", "second", "third", "fourth", "fifth"];

    private static readonly string[] NumberWords = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    /// <summary>The action on the task the words name, or a question back when they name none or several.</summary>
    public static Intent Target(TaskAction action, string words, TurnContext context, string? newTitle = null, string? newDescription = null)
    {
        var text = ListSuffix().Replace(words.Trim(), string.Empty);
        var quoted = Phrase.Quoted(text);
        if (string.IsNullOrEmpty(quoted) && Several().IsMatch(text))
        {
            return new ConversationalIntent(ConversationalKind.OneAtATime, action);
        }

        TaskReference? target = !string.IsNullOrEmpty(quoted) ? new TaskReference.ByTitle(quoted)
            : Pronouns.Contains(text) ? (context.LastTaskId is { } last ? new TaskReference.ById(last) : null)
            : ReadId(text) is { } id ? new TaskReference.ById(id)
            : TitleWords(text) is { Length: > 0 } title ? new TaskReference.ByTitle(title)
            : null;
        return target is null
            ? new ConversationalIntent(ConversationalKind.UnclearReference, action)
            : new TaskActionIntent(action, target, newTitle, newDescription);
    }

    /// <summary>
    /// The request <paramref name="choice"/> asked about, completed by the answer: a position ("the second one"), an
    /// id, words of one candidate's title, or "yes" to a single suggestion; null when the text is no answer.
    /// </summary>
    public static Intent? Answer(string text, PendingChoice choice)
    {
        var candidates = choice.Candidates;
        var words = TitleWords(text);
        var position = words.Equals("last", StringComparison.OrdinalIgnoreCase) ? candidates.Count
            : Array.FindIndex(Ordinals, o => o.Equals(words, StringComparison.OrdinalIgnoreCase)) + 1;
        var named = TaskMatcher.Find(candidates, words);
        int? chosen = Yeses.Contains(text) && candidates.Count == 1 ? candidates[0].Id
            : position >= 1 && position <= candidates.Count ? candidates[position - 1].Id
            // "3" is task 3 when task 3 was offered; otherwise a small number picks by position.
            : ReadId(text) is { } number ? (candidates.All(t => t.Id != number) && number >= 1 && number <= candidates.Count ? candidates[number - 1].Id : number)
            : named.Count == 1 ? named[0].Id
            : null;
        return Cancels.Contains(text) ? new ConversationalIntent(ConversationalKind.Cancelled)
            : chosen is { } id ? choice.Intent.On(id)
            : null;
    }

    /// <summary>Words with what introduces a title taken off: "a new task called X", "task: X", "X to my shopping list".</summary>
    public static string WithoutLeadIn(string words) => LeadIn().Replace(ListSuffix().Replace(words.Trim(), string.Empty), string.Empty);

    /// <summary>"task 3", "#3", "3", "task number 3", "task three" → 3.</summary>
    private static int? ReadId(string text) =>
        IdOnly().Match(text.Trim()) is not { Success: true } match ? null
        : match.Groups["word"].Success ? Array.IndexOf(NumberWords, match.Groups["word"].Value.ToLowerInvariant()) + 1
        : int.TryParse(match.Groups["id"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>"the meeting task" → "meeting", "the second one" → "second".</summary>
    private static string TitleWords(string text) => TrailingTaskWord().Replace(WithoutLeadIn(text), string.Empty).Trim();

    [GeneratedRegex(
        @"^(?:the\s+)?(?:(?:task|number|id|#)\s*)*(?:(?<id>\d{1,10})|(?<word>one|two|three|four|five|six|seven|eight|nine|ten))$", Phrase.AnyCase)]
    private static partial Regex IdOnly();

    /// <summary>"all my tasks", "everything", "completed tasks", "1 and task 2": the tools change one task at a time.</summary>
    [GeneratedRegex(@"^(?:all|every|everything|both|them)\b|\btasks\b|\d+\s*(?:,|and|&)\s*(?:task\s*)?#?\d+", Phrase.AnyCase)]
    private static partial Regex Several();

    [GeneratedRegex(@"^(?:(?:the|my|a|an|new|to-?do|task|reminder|item|called|named|titled|to|about)\b\s*|[:\-]\s*)+", Phrase.AnyCase)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"\s+(?:to|on|onto|in|into|from|off)\s+(?:my|the)\s+(?:[\w-]+\s+)?(?:list|tasks)$", Phrase.AnyCase)]
    private static partial Regex ListSuffix();

    [GeneratedRegex(@"\s+(?:task|item|one)$", Phrase.AnyCase)]
    private static partial Regex TrailingTaskWord();
}
