using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Finds the tasks a few words refer to: "meeting" → "Team meeting", "buying groceries" → "Buy groceries".
/// Word forms are compared by a light stem, so "buying"/"buy" and "groceries"/"grocery" agree.
/// </summary>
public static partial class TaskMatcher
{
    /// <summary>
    /// The tasks the words name: an exact title match if there is one, else every task whose title holds all the
    /// (stemmed) words, else every title containing the words as typed, else every title the words describe with at
    /// most one word more ("attend the team meeting" → "Team meeting").
    /// </summary>
    public static IReadOnlyList<TaskItem> Find(IReadOnlyList<TaskItem> tasks, string words)
    {
        var wanted = Normalize(words);
        var exact = tasks.Where(t => Normalize(t.Title) == wanted).ToList();
        if (exact.Count > 0)
        {
            return exact;
        }

        var wantedStems = Stems(words);
        if (wantedStems.Count > 0)
        {
            var allWords = tasks.Where(t => wantedStems.All(w => Stems(t.Title).Any(s => SameWord(w, s)))).ToList();
            if (allWords.Count > 0)
            {
                return allWords;
            }
        }

        var containing = wanted.Length == 0 ? [] : tasks.Where(t => Normalize(t.Title).Contains(wanted, StringComparison.Ordinal)).ToList();
        if (containing.Count > 0)
        {
            return containing;
        }

        return tasks.Where(t => Stems(t.Title) is { Count: > 0 } titleStems
                && wantedStems.Count - titleStems.Count <= 1
                && titleStems.All(s => wantedStems.Any(w => SameWord(w, s))))
            .ToList();
    }

    /// <summary>A task sharing some words with the request, offered as "did you mean", never acted on.</summary>
    public static TaskItem? Suggest(IReadOnlyList<TaskItem> tasks, string words)
    {
        var wantedStems = Stems(words);
        return wantedStems.Count == 0
            ? null
            : tasks
                .Select(t => (Task: t, Shared: wantedStems.Count(w => Stems(t.Title).Any(s => SameWord(w, s)))))
                .Where(x => x.Shared > 0)
                .OrderByDescending(x => x.Shared).ThenBy(x => x.Task.Id)
                .Select(x => x.Task)
                .FirstOrDefault();
    }

    private static bool SameWord(string a, string b) =>
        a == b || (Math.Min(a.Length, b.Length) >= 3 && (a.StartsWith(b, StringComparison.Ordinal) || b.StartsWith(a, StringComparison.Ordinal)));

    private static string Normalize(string text) => string.Join(' ', Words(text));

    private static List<string> Stems(string text)
    {
        var words = Words(text);
        var meaningful = words.Where(w => !StopWords.Contains(w)).ToList();
        return (meaningful.Count > 0 ? meaningful : [.. words]).Select(Stem).ToList();
    }

    private static string[] Words(string text) =>
        WordPattern().Matches(text.ToLowerInvariant()).Select(m => m.Value.Replace("'", string.Empty, StringComparison.Ordinal)).ToArray();

    private static string Stem(string word)
    {
        var stem = word;
        if (stem.Length > 4 && stem.EndsWith("ies", StringComparison.Ordinal))
        {
            stem = stem[..^3] + "y";
        }
        else if (stem.Length > 5 && stem.EndsWith("ing", StringComparison.Ordinal))
        {
            stem = stem[..^3];
        }
        else if (stem.Length > 4 && stem.EndsWith("ed", StringComparison.Ordinal))
        {
            stem = stem[..^2];
        }
        else if (stem.Length > 4 && (stem.EndsWith("ches", StringComparison.Ordinal) || stem.EndsWith("shes", StringComparison.Ordinal)
            || stem.EndsWith("sses", StringComparison.Ordinal) || stem.EndsWith("xes", StringComparison.Ordinal)))
        {
            stem = stem[..^2];
        }
        else if (stem.Length > 3 && stem.EndsWith('s') && !stem.EndsWith("ss", StringComparison.Ordinal))
        {
            stem = stem[..^1];
        }

        // "take"/"taking" and "write"/"writing" meet at "tak"/"writ".
        return stem.Length > 3 && stem.EndsWith('e') ? stem[..^1] : stem;
    }

    private static readonly HashSet<string> StopWords =
    [
        "the", "a", "an", "my", "to", "for", "of", "and", "on", "in", "at", "with", "task", "tasks", "item", "todo", "one",
    ];

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex WordPattern();
}
