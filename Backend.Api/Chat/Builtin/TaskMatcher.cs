namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Finds the tasks a few words refer to: "meeting" → "Team meeting", "buying groceries" → "Buy groceries". Two words
/// are taken as forms of one another when they share a beginning of at least three letters that is all but at most one
/// letter of the shorter ("buy"/"buying", "grocery"/"groceries", "report"/"reports").
/// </summary>
public static class TaskMatcher
{
    private static readonly HashSet<string> StopWords = ["the", "a", "an", "my", "to", "for", "of", "and", "on", "in", "at", "with", "task"];

    /// <summary>
    /// An exact title if there is one; else every task whose title holds all the words; else every title the words
    /// describe with at most one word more ("attend the team meeting" → "Team meeting").
    /// </summary>
    public static IReadOnlyList<TaskItem> Find(IReadOnlyList<TaskItem> tasks, string words)
    {
        var wanted = Words(words);
        if (wanted.Length == 0)
        {
            return [];
        }

        var exact = tasks.Where(t => Words(t.Title).SequenceEqual(wanted)).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        var meaningful = Meaningful(wanted);
        var holdingAll = tasks.Where(t => meaningful.All(w => Words(t.Title).Any(s => SameWord(w, s)))).ToList();
        return holdingAll.Count > 0
            ? holdingAll
            : tasks.Where(t => Meaningful(Words(t.Title)) is { Length: > 0 } title
                    && meaningful.Length - title.Length <= 1
                    && title.All(s => meaningful.Any(w => SameWord(w, s))))
                .ToList();
    }

    /// <summary>The task sharing the most words with the request, offered as "did you mean", never acted on.</summary>
    public static TaskItem? Suggest(IReadOnlyList<TaskItem> tasks, string words)
    {
        var meaningful = Meaningful(Words(words));
        return tasks
            .Select(t => (Task: t, Shared: meaningful.Count(w => Words(t.Title).Any(s => SameWord(w, s)))))
            .Where(x => x.Shared > 0)
            .OrderByDescending(x => x.Shared).ThenBy(x => x.Task.Id)
            .Select(x => x.Task)
            .FirstOrDefault();
    }

    private static bool SameWord(string a, string b) =>
        a == b || (a.Zip(b).TakeWhile(pair => pair.First == pair.Second).Count() is var shared && shared >= 3 && shared >= Math.Min(a.Length, b.Length) - 1);

    private static string[] Meaningful(string[] words) => words.Where(w => !StopWords.Contains(w)).ToArray() is { Length: > 0 } kept ? kept : words;

    private static string[] Words(string text) =>
        new string(text.ToLowerInvariant().Replace("'", string.Empty, StringComparison.Ordinal)
                .Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
