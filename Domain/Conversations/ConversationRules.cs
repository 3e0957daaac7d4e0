namespace Phase4.Domain.Conversations;

public static class ConversationRules
{
    public const int TitleMaxLength = 80;

    /// <summary>The documented limit of one chat message.</summary>
    public const int MessageMaxLength = 4000;

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
