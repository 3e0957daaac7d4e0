using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Phase4.Backend.Http;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Tasks;

/// <summary>Maps a domain <see cref="TaskOutcome"/> to HTTP; every response carrying a task carries its ETag.</summary>
internal static class TaskResults
{
    public static IResult From(TaskOutcome outcome, HttpContext http) => outcome.Kind switch
    {
        TaskOutcomeKind.Created => Created(outcome.Task!, http),
        TaskOutcomeKind.Ok => Ok(outcome.Task!, http),
        TaskOutcomeKind.Invalid => ApiProblems.Invalid(outcome.Field!, outcome.Error!),
        TaskOutcomeKind.NotFound => NotFound,
        TaskOutcomeKind.VersionMismatch => ApiProblems.Status(StatusCodes.Status412PreconditionFailed, outcome.Error!),
        TaskOutcomeKind.Conflict => ApiProblems.Status(StatusCodes.Status409Conflict, outcome.Error!),
        TaskOutcomeKind.QuotaExceeded => ApiProblems.QuotaExceeded(http, retryAfter: null, outcome.Error!),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    public static IResult Ok(TaskView task, HttpContext http)
    {
        http.Response.Headers.ETag = EntityTags.Format(task.Version);
        return TypedResults.Ok(TaskResponse.From(task));
    }

    public static IResult NotFound => ApiProblems.Status(StatusCodes.Status404NotFound, TaskOutcome.NotFound.Error!);

    public static IResult PreconditionFailed => ApiProblems.Status(StatusCodes.Status412PreconditionFailed, TaskOutcome.VersionMismatch.Error!);

    private static Created<TaskResponse> Created(TaskView task, HttpContext http)
    {
        http.Response.Headers.ETag = EntityTags.Format(task.Version);
        var location = string.Create(CultureInfo.InvariantCulture, $"/api/{task.UserId:D}/tasks/{task.Id}");
        return TypedResults.Created(location, TaskResponse.From(task));
    }
}
