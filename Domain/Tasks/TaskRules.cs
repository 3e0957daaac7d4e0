namespace Phase4.Domain.Tasks;

/// <summary>The validation rules of a task, the single copy every adapter goes through.</summary>
public static class TaskRules
{
    public const int TitleMaxLength = 200;
    public const int DescriptionMaxLength = 1000;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Trims the title and checks it; returns the error message or null.</summary>
    public static string? ValidateTitle(string? title, out string normalized)
    {
        normalized = title?.Trim() ?? string.Empty;
        if (normalized.Length == 0)
        {
            return "The title is required and cannot be blank.";
        }

        if (normalized.Length > TitleMaxLength)
        {
            return $"The title must be at most {TitleMaxLength} characters.";
        }

        if (ContainsControlCharacters(normalized, allowLineBreaks: false))
        {
            return "The title cannot contain control characters or line breaks.";
        }

        return null;
    }

    /// <summary>Checks the description (null or blank means none); returns the error message or null.</summary>
    public static string? ValidateDescription(string? description, out string? normalized)
    {
        normalized = string.IsNullOrWhiteSpace(description) ? null : description;
        if (normalized is null)
        {
            return null;
        }

        if (normalized.Length > DescriptionMaxLength)
        {
            return $"The description must be at most {DescriptionMaxLength} characters.";
        }

        if (ContainsControlCharacters(normalized, allowLineBreaks: true))
        {
            return "The description cannot contain control characters other than line breaks and tabs.";
        }

        return null;
    }

    /// <summary>Task ids are positive; zero or a negative id is a malformed request, not a missing task.</summary>
    public static string? ValidateId(int id) => id > 0 ? null : "id must be a positive integer.";

    public static string? ValidatePage(int limit, int offset, out string? field)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            field = "limit";
            return $"limit must be between 1 and {MaxPageSize}.";
        }

        if (offset < 0)
        {
            field = "offset";
            return "offset cannot be negative.";
        }

        field = null;
        return null;
    }

    /// <summary>
    /// True when the text has control characters (NUL cannot even be stored by PostgreSQL) or unpaired
    /// UTF-16 surrogates (which cannot be encoded for the database).
    /// </summary>
    private static bool ContainsControlCharacters(string value, bool allowLineBreaks)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return true;
            }

            if (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
            {
                return true;
            }
        }

        return false;
    }
}
