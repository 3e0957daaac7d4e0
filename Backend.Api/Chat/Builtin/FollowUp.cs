using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Answers to the assistant's own questions: after "Which one should I delete? …" the user says "task 7", "the second
/// one" or "never mind"; after "Did you mean task 4, …?" they say "yes". The pending request is re-read from the
/// user's earlier message, so nothing is remembered between requests but the stored conversation.
/// </summary>
public static partial class FollowUp
{
    /// <summary>
    /// The request the answer completes, or null when it is not an answer. <paramref name="mayNameTitle"/> lets
    /// unrecognised words narrow the search by title ("the team one").
    /// </summary>
    public static Intent? Resolve(string message, string previousAnswer, IReadOnlyList<string> earlierRequests, bool mayNameTitle)
    {
        var asked = previousAnswer.Contains(Replies.WhichOneMarker, StringComparison.Ordinal);
        var suggested = previousAnswer.Contains(Replies.DidYouMeanMarker, StringComparison.Ordinal);
        if (!asked && !suggested)
        {
            return null;
        }

        var text = Phrase.Clean(message);
        if (Cancel().IsMatch(text))
        {
            return new ConversationalIntent(ConversationalKind.Cancelled);
        }

        if (PendingRequest(earlierRequests) is not { } pending)
        {
            return null;
        }

        if (suggested && !asked)
        {
            return Yes().IsMatch(text) && SuggestedId().Match(previousAnswer) is { Success: true } suggestion
                ? pending with { Target = new TaskReference.ById(int.Parse(suggestion.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture)) }
                : null;
        }

        var candidates = CandidateLine().Matches(previousAnswer)
            .Select(m => int.Parse(m.Groups["id"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        if (Ordinal(text) is { } position)
        {
            var index = position < 0 ? candidates.Count + position : position - 1;
            return index >= 0 && index < candidates.Count ? pending with { Target = new TaskReference.ById(candidates[index]) } : null;
        }

        if (TaskReferenceReader.ReadId(SelectionLeadIn().Replace(text, string.Empty)) is { } number)
        {
            // "4" is task 4 when 4 was offered; otherwise a small number picks by position.
            var id = !candidates.Contains(number) && number >= 1 && number <= candidates.Count ? candidates[number - 1] : number;
            return pending with { Target = new TaskReference.ById(id) };
        }

        if (!mayNameTitle)
        {
            return null;
        }

        // Other words narrow the search by title: "the team one".
        var words = TaskReferenceReader.Read(SelectionLeadIn().Replace(text, string.Empty));
        return words is { Kind: ReferenceKind.Named, Reference: TaskReference.ByTitle } ? pending with { Target = words.Reference } : null;
    }

    /// <summary>The most recent earlier request that asked to act on a task.</summary>
    private static TaskActionIntent? PendingRequest(IReadOnlyList<string> earlierRequests) =>
        earlierRequests.Take(3)
            .Select(request => IntentReader.ReadAlone(request, previousAnswer: null))
            .OfType<TaskActionIntent>()
            .FirstOrDefault();

    /// <summary>1-based position, or -1 for "the last one".</summary>
    private static int? Ordinal(string text)
    {
        var match = OrdinalWord().Match(text);
        if (!match.Success)
        {
            return null;
        }

        return match.Groups["o"].Value.ToLowerInvariant() switch
        {
            "first" or "1st" => 1,
            "second" or "2nd" => 2,
            "third" or "3rd" => 3,
            "fourth" or "4th" => 4,
            "fifth" or "5th" => 5,
            _ => -1,
        };
    }

    [GeneratedRegex(@"^\d+\.\s.*\(task\s+(?<id>\d+),", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex CandidateLine();

    [GeneratedRegex(@"Did you mean task (?<id>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex SuggestedId();

    [GeneratedRegex(
        @"^(?:no|nope|nah|cancel|never\s*mind|nevermind|forget\s+it|stop|none|neither|none\s+of\s+them|don'?t|abort|leave\s+it|skip(?:\s+it)?)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Cancel();

    [GeneratedRegex(
        @"^(?:yes|yeah|yep|yup|sure|correct|right|exactly|ok(?:ay)?|that'?s\s+(?:it|the\s+one|right)|that\s+one|please\s+do|do\s+it|go\s+ahead|yes\s+please)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Yes();

    [GeneratedRegex(
        @"^(?:(?:the|it'?s|its|it\s+is|i\s+mean|i\s+meant|go\s+with|pick|choose|take)\s+)*(?<o>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)(?:\s+(?:one|task))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrdinalWord();

    [GeneratedRegex(@"^(?:(?:it'?s|its|it\s+is|i\s+mean|i\s+meant|go\s+with|pick|choose|take|the\s+one\s+with\s+id)\s+)+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SelectionLeadIn();
}
