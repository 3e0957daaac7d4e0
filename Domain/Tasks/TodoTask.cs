namespace Phase4.Domain.Tasks;

/// <summary>A user's to-do item. Persisted in the <c>tasks</c> table.</summary>
public sealed class TodoTask
{
    public int Id { get; set; }
    public Guid UserId { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public bool Completed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>PostgreSQL's <c>xmin</c> system column: changes on every write, used for ETags and optimistic concurrency.</summary>
    public uint Version { get; set; }
}

/// <summary>A read-only projection of a task, what every adapter (REST, MCP) returns.</summary>
public sealed record TaskView(
    int Id,
    Guid UserId,
    string Title,
    string? Description,
    bool Completed,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    uint Version)
{
    /// <summary>The projection of <paramref name="task"/>; also used in queries (EF Core reads the entity's columns for it).</summary>
    public static TaskView Of(TodoTask task) =>
        new(task.Id, task.UserId, task.Title, task.Description, task.Completed, task.CreatedAt, task.UpdatedAt, task.Version);
}
