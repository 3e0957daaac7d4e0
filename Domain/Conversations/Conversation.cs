namespace Phase4.Domain.Conversations;

/// <summary>A chat between a user and the assistant; its messages are stored, never kept in memory.</summary>
public sealed class Conversation
{
    public int Id { get; set; }
    public Guid UserId { get; set; }
    public required string Title { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public static class MessageRoles
{
    public const string User = "user";
    public const string Assistant = "assistant";
}

/// <summary>One turn's message. <see cref="ToolCallsJson"/> holds the assistant's tool calls as a JSON array.</summary>
public sealed class ChatMessage
{
    public long Id { get; set; }
    public int ConversationId { get; set; }
    public Guid UserId { get; set; }
    public required string Role { get; set; }
    public required string Content { get; set; }
    public string? ToolCallsJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record ConversationView(int Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record MessageView(long Id, string Role, string Content, string? ToolCallsJson, DateTimeOffset CreatedAt);
