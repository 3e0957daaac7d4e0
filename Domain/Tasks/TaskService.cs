using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Phase4.Domain.Data;
using Phase4.Domain.Quotas;

namespace Phase4.Domain.Tasks;

/// <summary>
/// The one implementation of every task operation. REST endpoints and MCP tools are thin adapters over it;
/// every call is scoped to the acting user, so another user's task is indistinguishable from a missing one, and
/// creating enforces the account's task quota (<see cref="QuotaOptions.TasksPerUser"/>).
/// </summary>
public sealed class TaskService(TodoDbContext db, TimeProvider time, IOptions<QuotaOptions> quotas)
{
    public Task<IReadOnlyList<TaskView>> ListAsync(
        Guid userId, TaskStatusFilter filter, int limit, int offset, CancellationToken cancellationToken) =>
        TaskListQueries.RunAsync(db, userId, filter, limit, offset, cancellationToken);

    public Task<TaskView?> GetAsync(Guid userId, int taskId, CancellationToken cancellationToken) =>
        db.Tasks.AsNoTracking()
            .Where(t => t.Id == taskId && t.UserId == userId)
            .Select(t => TaskView.Of(t))
            .FirstOrDefaultAsync(cancellationToken);

    public async Task<TaskOutcome> CreateAsync(Guid userId, string? title, string? description, CancellationToken cancellationToken)
    {
        if (TaskRules.ValidateTitle(title, out var normalizedTitle) is { } titleError)
        {
            return TaskOutcome.Invalid("title", titleError);
        }

        if (TaskRules.ValidateDescription(description, out var normalizedDescription) is { } descriptionError)
        {
            return TaskOutcome.Invalid("description", descriptionError);
        }

        var now = time.GetDatabaseNow();
        var limit = quotas.Value.TasksPerUser;
        if (await TaskInsert.RunAsync(db, userId, normalizedTitle, normalizedDescription, now, limit, cancellationToken) is not { } created)
        {
            return TaskOutcome.QuotaExceeded(limit);
        }

        var view = new TaskView(created.Id, userId, normalizedTitle, normalizedDescription, false, now, now, created.Version);
        return new TaskOutcome(TaskOutcomeKind.Created, view);
    }

    public async Task<TaskOutcome> UpdateAsync(
        Guid userId, int taskId, TaskEdit edit, uint? expectedVersion, CancellationToken cancellationToken)
    {
        string? newTitle = null;
        if (edit.Title is not null && TaskRules.ValidateTitle(edit.Title, out newTitle) is { } titleError)
        {
            return TaskOutcome.Invalid("title", titleError);
        }

        string? newDescription = null;
        if (edit.ReplaceDescription && TaskRules.ValidateDescription(edit.Description, out newDescription) is { } descriptionError)
        {
            return TaskOutcome.Invalid("description", descriptionError);
        }

        if (newTitle is null && !edit.ReplaceDescription)
        {
            return TaskOutcome.Invalid("title", "Give a new title or description.");
        }

        return await ChangeAsync(userId, taskId, expectedVersion, task =>
        {
            task.Title = newTitle ?? task.Title;
            task.Description = edit.ReplaceDescription ? newDescription : task.Description;
        }, cancellationToken);
    }

    /// <summary>Sets completion to <paramref name="completed"/>, or toggles it when null.</summary>
    public Task<TaskOutcome> SetCompletedAsync(
        Guid userId, int taskId, bool? completed, uint? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(userId, taskId, expectedVersion, task => task.Completed = completed ?? !task.Completed, cancellationToken);

    /// <summary>Deletes the task; the outcome carries the task as it was.</summary>
    public Task<TaskOutcome> DeleteAsync(Guid userId, int taskId, uint? expectedVersion, CancellationToken cancellationToken) =>
        ChangeAsync(userId, taskId, expectedVersion, task => db.Tasks.Remove(task), cancellationToken);

    /// <summary>
    /// Loads the user's task, checks <paramref name="expectedVersion"/>, applies <paramref name="change"/> (an edit or
    /// a removal) and saves it; an edit that changes nothing writes nothing. A concurrent writer between the read and
    /// the write is a <see cref="TaskOutcome.Conflict"/> (the row version is the concurrency token).
    /// </summary>
    private async Task<TaskOutcome> ChangeAsync(
        Guid userId, int taskId, uint? expectedVersion, Action<TodoTask> change, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.UserId == userId, cancellationToken);
        if (task is null)
        {
            return TaskOutcome.NotFound;
        }

        try
        {
            if (expectedVersion is { } expected && expected != task.Version)
            {
                return TaskOutcome.VersionMismatch;
            }

            change(task);
            var state = db.Entry(task).State;
            if (state == EntityState.Modified)
            {
                task.UpdatedAt = time.GetDatabaseNow();
            }

            if (state != EntityState.Unchanged)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            // A deleted task keeps the values it was read with: the outcome shows what was deleted.
            return new TaskOutcome(TaskOutcomeKind.Ok, TaskView.Of(task));
        }
        catch (DbUpdateConcurrencyException)
        {
            return TaskOutcome.Conflict;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}
