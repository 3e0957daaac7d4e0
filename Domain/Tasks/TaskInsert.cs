using Phase4.Domain.Data;

namespace Phase4.Domain.Tasks;

/// <summary>
/// Creates a task only while the owner is under the task quota, in one statement: it reads the owner's task count (the
/// sum of its <see cref="TaskCountShard"/> rows, which a trigger keeps) and inserts when it is below the limit. Nothing
/// is locked before the insert, so one account's concurrent creates run side by side (each trigger updates its own
/// session's shard). The price: each reads the count as committed when it started, so a burst of concurrent creates
/// can pass the quota by as many creates as are in flight at once for the account, which the per-account concurrency
/// limit bounds (<c>RateLimits:AccountConcurrency</c> per backend replica, docs/benchmarks.md). A missing owner has no
/// count and the insert fails on the foreign key, as a plain insert would.
/// </summary>
internal static class TaskInsert
{
    private const string Sql =
        "INSERT INTO tasks (user_id, title, description, completed, created_at, updated_at) " +
        "SELECT $1, $2, $3, false, $4, $4 WHERE (SELECT coalesce(sum(tasks), 0) FROM task_counts WHERE user_id = $1) < $5 " +
        "RETURNING id, xmin";
    /// <summary>The new task's id and version, or null when the quota is reached.</summary>
    public static Task<(int Id, uint Version)?> RunAsync(
        TodoDbContext db, Guid userId, string title, string? description, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        db.ReadFirstRowAsync(Sql, [userId, title, description, now, limit],
            static row => (row.GetInt32(0), row.GetFieldValue<uint>(1)), cancellationToken);
}
