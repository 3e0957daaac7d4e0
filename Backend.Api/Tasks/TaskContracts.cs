using System.Globalization;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Tasks;

/// <summary>The body of POST and PUT.</summary>
public sealed record TaskRequest(string? Title, string? Description = null);

/// <summary>The optional body of PATCH .../complete; no body or a null <see cref="Completed"/> toggles.</summary>
public sealed record CompletionRequest(bool? Completed = null);

public sealed record TaskResponse(
    int Id,
    string UserId,
    string Title,
    string? Description,
    bool Completed,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static TaskResponse From(TaskView task) => new(
        task.Id, task.UserId.ToString("D", CultureInfo.InvariantCulture), task.Title, task.Description,
        task.Completed, task.CreatedAt, task.UpdatedAt);
}
