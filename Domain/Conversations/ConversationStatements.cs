using Phase4.Domain.Data;

namespace Phase4.Domain.Conversations;

/// <summary>
/// A chat turn's two writes, each one statement (so one round trip, atomic without a transaction, and no BEGIN,
/// savepoint and COMMIT around it): EF Core would need a transaction of four to six statements for each (issue 26).
/// </summary>
internal static class ConversationStatements
{
    // Counted before the insert in the same statement, not locked: concurrent first turns of one account can overshoot
    // the quota by as many as run at once (the chat rate limit bounds them), as the count-then-insert it replaces could.
    private const string CreateSql =
        "INSERT INTO conversations (user_id, title, created_at, updated_at) " +
        "SELECT $1, $2, $3, $3 WHERE (SELECT count(*) FROM conversations WHERE user_id = $1) < $4 " +
        "RETURNING id";

    // A data-modifying WITH runs exactly once whether or not the outer query reads it: the message and the
    // conversation's updated_at change together or not at all.
    private const string AppendSql =
        "WITH appended AS (INSERT INTO messages (conversation_id, user_id, role, content, tool_calls, created_at) " +
        "VALUES ($1, $2, $3, $4, $5::jsonb, $6) RETURNING id), " +
        "touched AS (UPDATE conversations SET updated_at = $6 WHERE id = $1 AND user_id = $2) " +
        "SELECT id FROM appended";

    /// <summary>The new conversation's id, or null when the account keeps <paramref name="limit"/> already.</summary>
    public static Task<int?> CreateAsync(
        TodoDbContext db, Guid userId, string title, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        db.ReadFirstRowAsync(CreateSql, [userId, title, now, limit], static row => row.GetInt32(0), cancellationToken);

    /// <summary>The new message's id.</summary>
    public static async Task<long> AppendAsync(
        TodoDbContext db, int conversationId, Guid userId, string role, string content, string? toolCallsJson, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        await db.ReadFirstRowAsync(AppendSql, [conversationId, userId, role, content, toolCallsJson, now],
            static row => row.GetInt64(0), cancellationToken)
        ?? throw new InvalidOperationException("The message insert returned no row.");
}
