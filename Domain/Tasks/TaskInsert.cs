using Phase4.Domain.Data;

namespace Phase4.Domain.Tasks;

/// <summary>
/// Creates a task only while the owner is under the task quota, in one statement: it locks the owner's row, reads the
/// task count a trigger keeps exact (<c>users.task_count</c>), and inserts when it is below the limit. Concurrent
/// creates of one account therefore queue on that row and the limit is never overshot; other accounts are not
/// affected. A missing owner is not locked and the insert fails on the foreign key, as a plain insert would.
/// </summary>
internal static class TaskInsert
{
    private const string Sql =
        "WITH owner AS (SELECT task_count FROM users WHERE id = $1 FOR UPDATE) " +
        "INSERT INTO tasks (user_id, title, description, completed, created_at, updated_at) " +
        "SELECT $1, $2, $3, false, $4, $4 WHERE coalesce((SELECT task_count FROM owner), 0) < $5 " +
        "RETURNING id, xmin";

    /// <summary>The new task's id and version, or null when the quota is reached.</summary>
    public static Task<(int Id, uint Version)?> RunAsync(
        TodoDbContext db, Guid userId, string title, string? description, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        db.ReadFirstRowAsync(Sql, [userId, title, description, now, limit],
            static row => (row.GetInt32(0), row.GetFieldValue<uint>(1)), cancellationToken);
}
