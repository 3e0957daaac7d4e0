using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Phase4.Domain.Data;
using Phase4.Domain.Quotas;

namespace Phase4.Domain.Conversations;

/// <summary>
/// Stores conversations and their messages; every read is scoped to the owning user. The conversation and chat-turn
/// quotas are counted here, without a lock: a chat turn's few concurrent requests per account (the chat rate limit)
/// can overshoot them by that many, no more.
/// </summary>
public sealed class ConversationStore(TodoDbContext db, TimeProvider time, IOptions<QuotaOptions> quotas)
{
    /// <summary>Null when the account already keeps as many conversations as <see cref="QuotaOptions.ConversationsPerUser"/> allows.</summary>
    public async Task<ConversationView?> CreateAsync(Guid userId, string firstMessage, CancellationToken cancellationToken)
    {
        var now = time.GetDatabaseNow();
        var title = ConversationRules.TitleFrom(firstMessage);
        return await ConversationStatements.CreateAsync(db, userId, title, now, quotas.Value.ConversationsPerUser, cancellationToken) is { } id
            ? new ConversationView(id, title, now, now)
            : null;
    }

    /// <summary>
    /// Zero when the account may send another chat message now, else how long until its oldest message of the last
    /// hour leaves the window of <see cref="QuotaOptions.ChatTurnsPerHour"/>.
    /// </summary>
    public async Task<TimeSpan> ChatTurnWaitAsync(Guid userId, CancellationToken cancellationToken)
    {
        var windowStart = time.GetUtcNow() - ChatTurnWindow;
        var limit = quotas.Value.ChatTurnsPerHour;
        var recent = await db.Messages.AsNoTracking()
            .Where(m => m.UserId == userId && m.Role == MessageRoles.User && m.CreatedAt > windowStart)
            .OrderByDescending(m => m.CreatedAt)
            .Skip(limit - 1)
            .Select(m => (DateTimeOffset?)m.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        return recent is { } oldestCounted ? oldestCounted + ChatTurnWindow - time.GetUtcNow() : TimeSpan.Zero;
    }

    /// <summary>The sliding window of the chat-turn quota.</summary>
    public static readonly TimeSpan ChatTurnWindow = TimeSpan.FromHours(1);

    public Task<ConversationView?> GetAsync(Guid userId, int conversationId, CancellationToken cancellationToken) =>
        db.Conversations.AsNoTracking()
            .Where(c => c.Id == conversationId && c.UserId == userId)
            .Select(c => new ConversationView(c.Id, c.Title, c.CreatedAt, c.UpdatedAt))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<ConversationView>> ListAsync(Guid userId, int limit, int offset, CancellationToken cancellationToken) =>
        await db.Conversations.AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Skip(offset).Take(limit)
            .Select(c => new ConversationView(c.Id, c.Title, c.CreatedAt, c.UpdatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>Appends a message and bumps the conversation's <c>updated_at</c>, in one statement.</summary>
    public async Task<MessageView> AppendAsync(
        Guid userId, int conversationId, string role, string content, string? toolCallsJson, CancellationToken cancellationToken)
    {
        var now = time.GetDatabaseNow();
        var id = await ConversationStatements.AppendAsync(db, conversationId, userId, role, content, toolCallsJson, now, cancellationToken);
        return new MessageView(id, role, content, toolCallsJson, now);
    }

    /// <summary>All messages of a conversation, oldest first.</summary>
    public async Task<IReadOnlyList<MessageView>> GetMessagesAsync(Guid userId, int conversationId, CancellationToken cancellationToken) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.UserId == userId)
            .OrderBy(m => m.Id)
            .Select(m => new MessageView(m.Id, m.Role, m.Content, m.ToolCallsJson, m.CreatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The most recent <paramref name="maxMessages"/> messages, returned oldest first.</summary>
    public async Task<IReadOnlyList<MessageView>> GetRecentAsync(
        Guid userId, int conversationId, int maxMessages, CancellationToken cancellationToken)
    {
        var newestFirst = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.UserId == userId)
            .OrderByDescending(m => m.Id)
            .Take(maxMessages)
            .Select(m => new MessageView(m.Id, m.Role, m.Content, m.ToolCallsJson, m.CreatedAt))
            .ToListAsync(cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }
}
