using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Phase4.Domain.Conversations;

namespace Phase4.Backend.Chat;

/// <summary>The body of <c>POST /api/{user_id}/chat</c>; no conversation id starts a new conversation.</summary>
public sealed record ChatRequest(string? Message, int? ConversationId = null);

public sealed record ChatReply(int ConversationId, string Response, IReadOnlyList<ToolCallRecord> ToolCalls);

/// <summary>
/// One tool call of a turn; <see cref="Arguments"/> is a JSON value, not a string, and <see cref="Result"/> is
/// written as the tool's JSON value or <c>{"error": ...}</c> (null when the call has no result).
/// </summary>
public sealed record ToolCallRecord(string Name, JsonNode? Arguments, ToolOutcome? Result);

public sealed record ConversationResponse(int Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConversationResponse From(ConversationView view) => new(view.Id, view.Title, view.CreatedAt, view.UpdatedAt);
}

public sealed record MessageResponse(
    long Id,
    string Role,
    string Content,
    DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<ToolCallRecord>? ToolCalls = null)
{
    public static MessageResponse From(MessageView view) =>
        new(view.Id, view.Role, view.Content, view.CreatedAt,
            view.ToolCallsJson is null ? null : JsonSerializer.Deserialize(view.ToolCallsJson, ChatJsonContext.Default.ListToolCallRecord));
}

/// <summary>Source-generated snake_case JSON for the chat bodies and the stored tool calls.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatReply))]
[JsonSerializable(typeof(List<ToolCallRecord>))]
[JsonSerializable(typeof(List<ConversationResponse>))]
[JsonSerializable(typeof(List<MessageResponse>))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
