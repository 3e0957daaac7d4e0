using System.Text.Json;
using Microsoft.Extensions.AI;
using Phase4.Domain.Conversations;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Phase4.Backend.Chat;

/// <summary>
/// Translates between a turn as stored (the reply's text and its tool calls with arguments and results) and the
/// messages a chat client reads. Earlier turns go back to the model with their tool calls and results, in the shape
/// the function-invocation loop produced them, so it sees what the tools returned (the ids of tasks it added or
/// listed), not only what was said.
/// </summary>
public static class ChatTranscript
{
    /// <summary>The stored messages, oldest first, as chat messages.</summary>
    public static List<AIChatMessage> FromHistory(IEnumerable<MessageView> history) =>
        history.SelectMany(message => message.Role == MessageRoles.User
                ? [new AIChatMessage(ChatRole.User, message.Content)]
                : AssistantTurn(message.Content, StoredToolCalls(message), $"stored_{message.Id}"))
            .ToList();

    /// <summary>An assistant reply preceded by its tool calls and their results; call ids start with <paramref name="callIdPrefix"/>.</summary>
    public static IEnumerable<AIChatMessage> AssistantTurn(string text, IReadOnlyList<ToolCallRecord> toolCalls, string callIdPrefix)
    {
        if (toolCalls.Count > 0)
        {
            var ids = toolCalls.Select((_, i) => $"{callIdPrefix}_{i}").ToList();
            yield return new AIChatMessage(ChatRole.Assistant, toolCalls
                .Select((call, i) => (AIContent)new FunctionCallContent(ids[i], call.Name, Arguments(call)))
                .ToList());
            yield return new AIChatMessage(ChatRole.Tool, toolCalls
                .Select((call, i) => (AIContent)new FunctionResultContent(ids[i], call.Result?.ToResultJson()))
                .ToList());
        }

        yield return new AIChatMessage(ChatRole.Assistant, text);
    }

    /// <summary>Every tool call among the messages, in order, with its result (a failure as <c>{"error": ...}</c>).</summary>
    public static List<ToolCallRecord> ToolCalls(IEnumerable<AIChatMessage> messages)
    {
        var contents = messages.SelectMany(m => m.Contents).ToList();
        var results = contents.OfType<FunctionResultContent>().GroupBy(r => r.CallId).ToDictionary(g => g.Key, g => g.First());
        return contents.OfType<FunctionCallContent>()
            .Select(call => new ToolCallRecord(
                call.Name,
                JsonSerializer.SerializeToNode(call.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions),
                results.TryGetValue(call.CallId, out var result) ? ToolOutcome.From(result) : null))
            .ToList();
    }

    private static List<ToolCallRecord> StoredToolCalls(MessageView message) =>
        message.ToolCallsJson is null ? [] : JsonSerializer.Deserialize(message.ToolCallsJson, ChatJsonContext.Default.ListToolCallRecord) ?? [];

    private static Dictionary<string, object?> Arguments(ToolCallRecord call) =>
        call.Arguments is System.Text.Json.Nodes.JsonObject arguments
            ? arguments.ToDictionary(a => a.Key, a => (object?)a.Value?.DeepClone())
            : [];
}
