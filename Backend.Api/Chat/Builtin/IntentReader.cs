namespace Phase4.Backend.Chat.Builtin;

/// <summary>Understands one message of the conversation, in the light of the assistant's previous answer.</summary>
public static class IntentReader
{
    /// <param name="message">The user's latest message.</param>
    /// <param name="previousAnswer">The assistant's last answer, if any: for "delete it" and answers to its questions.</param>
    /// <param name="earlierRequests">The user's earlier messages, most recent first.</param>
    public static Intent Read(string message, string? previousAnswer, IReadOnlyList<string> earlierRequests)
    {
        var alone = ReadAlone(message, previousAnswer);
        if (previousAnswer is not null && alone is ConversationalIntent { Kind: ConversationalKind.Unknown or ConversationalKind.Thanks } conversational)
        {
            return FollowUp.Resolve(message, previousAnswer, earlierRequests, mayNameTitle: conversational.Kind == ConversationalKind.Unknown)
                ?? alone;
        }

        return alone;
    }

    /// <summary>Reads a message on its own (only "it" looks at the previous answer).</summary>
    public static Intent ReadAlone(string message, string? previousAnswer)
    {
        if (SmallTalkPhrases.ActsForSomeoneElse(message))
        {
            return new ConversationalIntent(ConversationalKind.OtherUser);
        }

        var text = Phrase.Clean(message);
        if (text.Length == 0)
        {
            // Nothing but pleasantries: "thanks!", "hello", "please".
            return SmallTalkPhrases.Read(message.Trim().TrimEnd('.', '!', '?', ' '))
                ?? new ConversationalIntent(SmallTalkPhrases.StartsWithGreeting(message) ? ConversationalKind.Greeting : ConversationalKind.Help);
        }

        var intent = SmallTalkPhrases.Read(text) ?? ReadRequest(text, previousAnswer);
        if (intent is not AddTaskIntent && SmallTalkPhrases.NamesSomeoneElsesTasks(text))
        {
            return new ConversationalIntent(ConversationalKind.OtherUser);
        }

        return intent;
    }

    private static Intent ReadRequest(string text, string? previousAnswer)
    {
        var request = TaskActionPhrases.Read(text, previousAnswer) ?? ListPhrases.Read(text) ?? AddPhrases.Read(text);
        if (request is not null)
        {
            return request;
        }

        // "I'd like to delete task 3" addresses the assistant; "I need to call the plumber" states a chore.
        if (AddPhrases.CommandAfterWish(text) is { } command)
        {
            return TaskActionPhrases.Read(command, previousAnswer) ?? ListPhrases.Read(command) ?? AddPhrases.Read(command)
                ?? new ConversationalIntent(ConversationalKind.Unknown);
        }

        return AddPhrases.ReadNeed(text) ?? new ConversationalIntent(ConversationalKind.Unknown);
    }
}
