using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Phase4.Domain.Data;

namespace Phase4.Domain.Tasks;

/// <summary>
/// The task list as EF Core compiled queries, one per status filter. The list is the hottest read (every REST list
/// and MCP <c>list_tasks</c>); compiling once skips LINQ translation and the query-cache lookup on every call.
/// </summary>
internal static class TaskListQueries
{
    private static readonly Func<TodoDbContext, Guid, int, int, IAsyncEnumerable<TaskView>> All = Compile(_ => true);
    private static readonly Func<TodoDbContext, Guid, int, int, IAsyncEnumerable<TaskView>> Pending = Compile(t => !t.Completed);
    private static readonly Func<TodoDbContext, Guid, int, int, IAsyncEnumerable<TaskView>> Completed = Compile(t => t.Completed);

    /// <summary>One page of the user's tasks, newest first.</summary>
    public static async Task<IReadOnlyList<TaskView>> RunAsync(
        TodoDbContext db, Guid userId, TaskStatusFilter filter, int limit, int offset, CancellationToken cancellationToken)
    {
        var query = filter switch
        {
            TaskStatusFilter.Pending => Pending,
            TaskStatusFilter.Completed => Completed,
            _ => All,
        };

        var page = new List<TaskView>(limit);
        await foreach (var task in query(db, userId, limit, offset).WithCancellation(cancellationToken))
        {
            page.Add(task);
        }

        return page;
    }

    private static Func<TodoDbContext, Guid, int, int, IAsyncEnumerable<TaskView>> Compile(Expression<Func<TodoTask, bool>> status) =>
        EF.CompileAsyncQuery((TodoDbContext db, Guid userId, int limit, int offset) =>
            db.Tasks.AsNoTracking()
                .Where(t => t.UserId == userId)
                .Where(status)
                .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
                .Skip(offset).Take(limit)
                .Select(t => new TaskView(t.Id, t.UserId, t.Title, t.Description, t.Completed, t.CreatedAt, t.UpdatedAt, t.Version)));
}
