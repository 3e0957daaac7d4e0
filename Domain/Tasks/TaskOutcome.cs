namespace Phase4.Domain.Tasks;

public enum TaskOutcomeKind
{
    Ok,
    Created,
    NotFound,
    Invalid,

    /// <summary>The caller's expected version (If-Match) is not the current one.</summary>
    VersionMismatch,

    /// <summary>Another writer changed the task between our read and our write.</summary>
    Conflict,

    /// <summary>The account already has as many tasks as its quota allows.</summary>
    QuotaExceeded,
}

/// <summary>What a task operation did; adapters map it to HTTP statuses or MCP tool errors.</summary>
public sealed record TaskOutcome(TaskOutcomeKind Kind, TaskView? Task = null, string? Field = null, string? Error = null)
{
    public bool Succeeded => Kind is TaskOutcomeKind.Ok or TaskOutcomeKind.Created;

    public static TaskOutcome Invalid(string field, string error) => new(TaskOutcomeKind.Invalid, Field: field, Error: error);

    public static readonly TaskOutcome NotFound = new(TaskOutcomeKind.NotFound, Error: "Task not found.");

    public static readonly TaskOutcome VersionMismatch =
        new(TaskOutcomeKind.VersionMismatch, Error: "The task has changed since it was read (If-Match does not match).");

    public static TaskOutcome QuotaExceeded(int limit) =>
        new(TaskOutcomeKind.QuotaExceeded, Error: $"You have {limit} tasks, the most one account may keep; delete some to add more.");

    public static readonly TaskOutcome Conflict =
        new(TaskOutcomeKind.Conflict, Error: "The task was changed by another request at the same time; reload and retry.");
}

/// <summary>
/// Changes to a task. A null <see cref="Title"/> keeps the current title;
/// <see cref="Description"/> is applied only when <see cref="ReplaceDescription"/> is true (null clears it).
/// </summary>
public sealed record TaskEdit(string? Title, string? Description, bool ReplaceDescription)
{
    /// <summary>A full replacement, as REST PUT does: title required, description replaced.</summary>
    public static TaskEdit Replace(string? title, string? description) => new(title ?? string.Empty, description, true);
}
