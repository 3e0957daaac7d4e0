using System.Text.RegularExpressions;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// Reads requests to change a task's title or description: "change task 1 to 'Call mom tonight'",
/// "rename the meeting task to Standup", "update the groceries task description to milk and eggs".
/// </summary>
public static partial class UpdatePhrases
{
    public static Intent? Read(string text, string? previousAnswer)
    {
        if (AddDescription().Match(text) is { Success: true } addDescription)
        {
            return TaskActionPhrases.Targeting(
                TaskAction.Update, addDescription.Groups["t"].Value, previousAnswer, newDescription: Phrase.AsText(addDescription.Groups["v"].Value));
        }

        if (!ChangeVerb().IsMatch(text))
        {
            return null;
        }

        // "… with description X" can ride along with a new title, or be the whole change.
        string? description = null;
        if (DescriptionClause().Match(text) is { Success: true } clause)
        {
            description = Phrase.AsText(clause.Groups["d"].Value);
            text = text[..clause.Index];
        }

        var split = ChangeToQuoted().Match(text) is { Success: true } quoted ? quoted : ChangeTo().Match(text);
        if (!split.Success)
        {
            return description is null
                ? NoNewValue(text, previousAnswer)
                : TaskActionPhrases.Targeting(TaskAction.Update, ChangeVerb().Replace(text, string.Empty), previousAnswer, newDescription: description);
        }

        var target = split.Groups["t"].Value;
        var value = split.Groups["v"].Value;
        if (IndefiniteTarget().IsMatch(target))
        {
            // "set a reminder to call mom" is a new task, not a change.
            return null;
        }

        if (DoneValue().IsMatch(value))
        {
            return TaskActionPhrases.Targeting(TaskAction.Complete, target, previousAnswer);
        }

        var field = Field.Title;
        if (DescriptionField().Match(target) is { Success: true } descriptionField)
        {
            field = Field.Description;
            target = target.Remove(descriptionField.Index, descriptionField.Length);
        }
        else if (TitleField().Match(target) is { Success: true } titleField)
        {
            target = target.Remove(titleField.Index, titleField.Length);
        }

        // "update task 1 with title X", "edit task 2: description = Y".
        var fieldInValue = split.Groups["sep"].Value.Equals("with", StringComparison.OrdinalIgnoreCase)
            ? LooseValueField().Match(value)
            : StrictValueField().Match(value);
        if (fieldInValue is { Success: true } valueField)
        {
            field = valueField.Groups["f"].Value.StartsWith("desc", StringComparison.OrdinalIgnoreCase)
                || valueField.Groups["f"].Value.StartsWith("note", StringComparison.OrdinalIgnoreCase)
                || valueField.Groups["f"].Value.StartsWith("detail", StringComparison.OrdinalIgnoreCase)
                ? Field.Description
                : Field.Title;
            value = value[valueField.Length..];
        }

        if (value.Trim().Length == 0)
        {
            return NoNewValue(target, previousAnswer);
        }

        return field == Field.Description
            ? TaskActionPhrases.Targeting(TaskAction.Update, target, previousAnswer, newDescription: Phrase.AsText(value))
            : TaskActionPhrases.Targeting(TaskAction.Update, target, previousAnswer, Phrase.AsTitle(value), description);
    }

    private static ConversationalIntent NoNewValue(string text, string? previousAnswer) =>
        TaskActionPhrases.Targeting(TaskAction.Update, ChangeVerb().Replace(text, string.Empty), previousAnswer) is TaskActionIntent
            ? new ConversationalIntent(ConversationalKind.MissingNewValue)
            : new ConversationalIntent(ConversationalKind.UnclearReference, Replies.Verb(TaskAction.Update));

    private enum Field
    {
        Title,
        Description,
    }

    private const string Verbs = @"(?:change|rename|update|edit|modify|retitle|set|reword|rewrite|replace|alter|fix)";

    private const string Separator =
        @"(?:\s+(?<sep>to\s+say|to\s+read|to\s+be|to|into|as|with|so\s+it\s+says|so\s+that\s+it\s+says)\s+|\s*(?<sep>[:=])\s*)";

    [GeneratedRegex("^" + Verbs + @"\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangeVerb();

    [GeneratedRegex("^" + Verbs + @"\s+(?<t>.+?)" + Separator + "(?<v>.+)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangeTo();

    /// <summary>With a quoted new value the last separator splits, so "change the go to gym task to 'Gym'" works.</summary>
    [GeneratedRegex("^" + Verbs + @"\s+(?<t>.+)" + Separator + "(?<v>\"[^\"]+\"|'[^']+')$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangeToQuoted();

    [GeneratedRegex(
        @"^(?:add|put|attach|give|write)\s+(?:a\s+|the\s+|some\s+)?(?:description|note|notes|details)\s+(?:to|for|on)\s+(?<t>.+?)\s*(?::|-|saying|that\s+says|reading|with)\s*(?<v>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AddDescription();

    [GeneratedRegex(
        @"\s+(?:with|and)\s+(?:the\s+|a\s+)?(?:new\s+)?(?:description|details|notes?)\s*(?::|of|to|as|saying|=)?\s*(?<d>.+)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionClause();

    [GeneratedRegex(@"^(?:a|an|another|new)\s", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex IndefiniteTarget();

    [GeneratedRegex(@"^(?:done|complete|completed|finished)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DoneValue();

    [GeneratedRegex(
        @"^(?:the\s+)?(?:description|details|notes?|desc)\s+(?:of|for|on)\s+|(?:'s|s')?\s*(?:description|details|notes?|desc)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DescriptionField();

    [GeneratedRegex(@"^(?:the\s+)?(?:title|name|text|wording)\s+(?:of|for|on)\s+|(?:'s|s')?\s*(?:title|name|text|wording)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TitleField();

    [GeneratedRegex(@"^(?:the\s+|a\s+)?(?:new\s+)?(?<f>description|details|notes?|desc|title|name)\s*[:=]?\s+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LooseValueField();

    [GeneratedRegex(@"^(?:the\s+)?(?:new\s+)?(?<f>description|details|notes?|desc|title|name)\s*[:=]\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StrictValueField();
}
