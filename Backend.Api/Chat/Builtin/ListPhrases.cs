using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>Reads requests to see tasks: "show me all my tasks", "what's pending?", "what have I completed?".</summary>
public static partial class ListPhrases
{
    public static Intent? Read(string text)
    {
        var asksToSee = (ShowVerb().Match(text) is { Success: true } show && (show.Groups["rest"].Value.Trim().Length == 0 || TaskWords().IsMatch(show.Groups["rest"].Value)))
            || (Question().IsMatch(text) && (TaskWords().IsMatch(text) || WorkWords().IsMatch(text)))
            || BareList().IsMatch(text);
        return asksToSee ? new ListTasksIntent(FilterOf(text)) : null;
    }

    private static TaskListFilter FilterOf(string text) =>
        PendingWords().IsMatch(text) ? TaskListFilter.Pending
        : CompletedWords().IsMatch(text) ? TaskListFilter.Completed
        : TaskListFilter.All;

    [GeneratedRegex(
        @"^(?:show|list|display|view|see|get|give|tell|print|read|check|fetch|pull\s+up|bring\s+up|open|know|look\s+at|review|go\s+over|what\s+about|remind\s+me\s+(?:of|about))\b(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShowVerb();

    [GeneratedRegex(
        @"^(?:what|what'?s|whats|which|how\s+many|how\s+much|do\s+i|have\s+i|did\s+i|is\s+there|are\s+there|anything|any|remind\s+me\s+what|where\s+am\s+i)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Question();

    [GeneratedRegex(
        @"\b(?:tasks?|todos?|to-dos?|list|items?|pending|done|completed?|finished|everything|all|left|remaining|open|outstanding|agenda|plate|things|stuff|reminders?|status)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TaskWords();

    [GeneratedRegex(@"\b(?:to\s+do|need\s+to\s+do|have\s+to\s+do|got\s+to\s+do|due|next|accomplished|achieved|get\s+done|(?:did|have)\s+i\s+(?:finish|complete|do|accomplish|get\s+done))\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WorkWords();

    [GeneratedRegex(
        @"^(?:(?:my|all|all\s+my|the|current|today'?s|open|pending|completed|done|finished|remaining|outstanding|incomplete|unfinished)\s+)*(?:tasks|todos|to-dos|todo\s+list|to-do\s+list|list|items|reminders)$" +
        @"|^(?:pending|completed|done|finished|open|status|everything|my\s+stuff)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BareList();

    [GeneratedRegex(
        @"\b(?:pending|open|incomplete|unfinished|uncompleted|outstanding|remaining|left|not\s+(?:yet\s+)?(?:done|completed?|finished)|to\s+do\b(?!\s+list)|still|need\s+to|have\s+to|got\s+to|undone|active|due|next|plate|upcoming|haven'?t\s+(?:done|finished|completed))\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PendingWords();

    [GeneratedRegex(
        @"\b(?:completed?|done|finish(?:ed)?|accomplished|achieved|checked\s+off|ticked\s+off|closed)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CompletedWords();
}
