namespace Phase4.Domain.Conversations;

public static class ConversationRules
{
    public const int TitleMaxLength = 80;

    /// <summary>The documented limit of one chat message.</summary>
    public const int MessageMaxLength = 4000;

    /// <summary>
    /// Checks a chat message: required, not blank, at most <see cref="MessageMaxLength"/> characters, and storable
    /// (PostgreSQL text cannot hold NUL, and unpaired UTF-16 surrogates cannot be encoded). Returns the error or null.
    /// </summary>
    public static string? ValidateMessage(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return "The message is required and cannot be blank.";
        }

        if (message.Length > MessageMaxLength)
        {
            return $"The message must be at most {MessageMaxLength} characters.";
        }

        for (var i = 0; i < message.Length; i++)
        {
            var c = message[i];
            if (char.IsHighSurrogate(c) && i + 1 < message.Length && char.IsLowSurrogate(message[i + 1]))
            {
                i++;
            }
            else if (c == '\0' || char.IsSurrogate(c))
            {
                return "The message cannot contain NUL characters or invalid Unicode.";
            }
        }

        return null;
    }

    /// <summary>Builds a conversation title from its first message: one line, cut at a word.</summary>
    public static string TitleFrom(string firstMessage)
    {
        var oneLine = string.Join(' ', firstMessage.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (oneLine.Length <= TitleMaxLength)
        {
            return oneLine.Length == 0 ? "New conversation" : oneLine;
        }

        var cut = oneLine.LastIndexOf(' ', TitleMaxLength - 1);
        return string.Concat(oneLine.AsSpan(0, cut > TitleMaxLength / 2 ? cut : TitleMaxLength - 1), "…");
    }
}
