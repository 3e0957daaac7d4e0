using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Phase4.Domain.Data;

namespace Phase4.Domain.Tasks;

/// <summary>
/// The task list, the hottest read (every REST list and MCP <c>list_tasks</c>), as one SQL statement per status filter
/// read straight into <see cref="TaskView"/>s on the context's own pooled connection. Through EF Core's query pipeline
/// the same page cost about a third more CPU (query context, buffered reader, materialiser; docs/benchmarks.md).
/// It still runs inside the context's execution strategy, so a dropped connection is retried like any other query,
/// and <c>Api/TaskListQueryTests</c> holds this SQL to the EF Core model.
/// </summary>
internal static class TaskListQueries
{
    private static readonly string All = Select(statusCondition: "");
    private static readonly string Pending = Select(statusCondition: " AND NOT completed");
    private static readonly string Completed = Select(statusCondition: " AND completed");

    /// <summary>One page of the user's tasks, newest first.</summary>
    public static Task<IReadOnlyList<TaskView>> RunAsync(
        TodoDbContext db, Guid userId, TaskStatusFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        var sql = filter switch
        {
            TaskStatusFilter.Pending => Pending,
            TaskStatusFilter.Completed => Completed,
            _ => All,
        };

        return db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, sql, userId, limit, offset),
            static (query, cancellationToken) => ReadPageAsync(query.db, query.sql, query.userId, query.limit, query.offset, cancellationToken),
            cancellationToken);
    }

    /// <summary>The statement for one status filter; the same columns, order and paging as the EF Core model maps.</summary>
    private static string Select(string statusCondition) =>
        "SELECT id, user_id, title, description, completed, created_at, updated_at, xmin FROM tasks " +
        $"WHERE user_id = $1{statusCondition} ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3";

    private static async Task<IReadOnlyList<TaskView>> ReadPageAsync(
        TodoDbContext db, string sql, Guid userId, int limit, int offset, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = userId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = offset });

            var page = new List<TaskView>(limit);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(new TaskView(
                    reader.GetInt32(0),
                    reader.GetGuid(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetBoolean(4),
                    reader.GetFieldValue<DateTimeOffset>(5),
                    reader.GetFieldValue<DateTimeOffset>(6),
                    reader.GetFieldValue<uint>(7)));
            }

            return page;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
