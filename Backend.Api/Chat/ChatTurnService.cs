using System.Text.Json;
using Microsoft.Extensions.Options;
using Phase4.Domain.Conversations;
using Phase4.Domain.Quotas;

namespace Phase4.Backend.Chat;

/// <summary>What one chat turn came to; the endpoint maps each case to HTTP.</summary>
public abstract record ChatTurnOutcome
{
    private ChatTurnOutcome()
    {
    }

    public sealed record Answered(ChatReply Reply) : ChatTurnOutcome;

    public sealed record InvalidMessage(string Error) : ChatTurnOutcome;

    /// <summary>Past one of the account's chat quotas; <see cref="RetryAfter"/> when waiting helps.</summary>
    public sealed record QuotaExceeded(TimeSpan? RetryAfter, string Detail) : ChatTurnOutcome;

    /// <summary>No such conversation of this user (another user's is indistinguishable from a missing one).</summary>
    public sealed record ConversationNotFound : ChatTurnOutcome;

    /// <summary>The model or the MCP server could not be used; the user's message is kept in the conversation.</summary>
    public sealed record DependencyUnavailable(int ConversationId, string Detail) : ChatTurnOutcome;
}

/// <summary>
/// One chat turn, stateless between turns: checks the message and the chat quotas, finds or starts the conversation,
/// stores the user's message, lets <see cref="ChatAgent"/> answer from the stored history, and stores the answer with
/// its tool calls.
/// </summary>
public sealed class ChatTurnService(
    ConversationStore conversations, ChatAgent agent, IOptions<AiOptions> ai, IOptions<QuotaOptions> quotas)
{
    public async Task<ChatTurnOutcome> TakeAsync(
        Guid userId, string email, ChatRequest request, CancellationToken cancellationToken)
    {
        if (ConversationRules.ValidateMessage(request.Message) is { } messageError)
        {
            return new ChatTurnOutcome.InvalidMessage(messageError);
        }

        if (await conversations.ChatTurnWaitAsync(userId, cancellationToken) is var wait && wait > TimeSpan.Zero)
        {
            return new ChatTurnOutcome.QuotaExceeded(wait,
                $"You have sent {quotas.Value.ChatTurnsPerHour} chat messages in the last hour, the most one account may send; retry later.");
        }

        var message = request.Message!;
        ConversationView conversation;
        if (request.ConversationId is { } conversationId)
        {
            if (await conversations.GetAsync(userId, conversationId, cancellationToken) is not { } existing)
            {
                return new ChatTurnOutcome.ConversationNotFound();
            }

            conversation = existing;
        }
        else if (await conversations.CreateAsync(userId, message, cancellationToken) is { } created)
        {
            conversation = created;
        }
        else
        {
            return new ChatTurnOutcome.QuotaExceeded(RetryAfter: null,
                $"You have {quotas.Value.ConversationsPerUser} conversations, the most one account may keep.");
        }

        // A conversation this turn started has no history yet: no query for it.
        IReadOnlyList<MessageView> history = request.ConversationId is null
            ? []
            : await conversations.GetRecentAsync(userId, conversation.Id, ai.Value.MaxHistoryMessages, cancellationToken);
        await conversations.AppendAsync(userId, conversation.Id, MessageRoles.User, message, null, cancellationToken);

        AgentAnswer answer;
        try
        {
            answer = await agent.AnswerAsync(userId, email, history, message, cancellationToken);
        }
        catch (ChatDependencyUnavailableException e)
        {
            return new ChatTurnOutcome.DependencyUnavailable(conversation.Id, e.Message);
        }

        var toolCallsJson = answer.ToolCalls.Count == 0
            ? null
            : JsonSerializer.Serialize(answer.ToolCalls.ToList(), ChatJsonContext.Default.ListToolCallRecord);
        // The answer is kept even if the caller hung up meanwhile: the tools have acted.
        await conversations.AppendAsync(userId, conversation.Id, MessageRoles.Assistant, answer.Text, toolCallsJson, CancellationToken.None);
        return new ChatTurnOutcome.Answered(new ChatReply(conversation.Id, answer.Text, answer.ToolCalls));
    }
}
