using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Phase4.Backend.Http;
using Phase4.Domain.Tasks;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Tasks;

/// <summary>REST adapter over <see cref="TaskService"/>: <c>/api/{user_id}/tasks</c>, owner only.</summary>
public static class TaskEndpoints
{
    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapOwnerGroup("/tasks", "Tasks");

        tasks.MapGet("", ListAsync).WithSummary("List the user's tasks, newest first")
            .Produces<List<TaskResponse>>();
        tasks.MapPost("", CreateAsync).WithSummary("Create a task (429 past the task quota)")
            .Produces<TaskResponse>(StatusCodes.Status201Created);
        tasks.MapGet("/{id}", GetAsync).WithSummary("One task, with its ETag")
            .Produces<TaskResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        tasks.MapPut("/{id}", ReplaceAsync).WithSummary("Replace a task's title and description (If-Match optional)")
            .Produces<TaskResponse>().ProducesChangeProblems();
        tasks.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a task (If-Match optional)")
            .Produces(StatusCodes.Status204NoContent).ProducesChangeProblems();
        tasks.MapPatch("/{id}/complete", SetCompletedAsync).WithSummary("Set or toggle completion (If-Match optional)")
            .Produces<TaskResponse>().ProducesChangeProblems();
        return app;
    }

    /// <summary>What a change to one task can answer besides success: missing, changed meanwhile, or If-Match failed.</summary>
    private static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder route) =>
        route.ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

    private static async Task<IResult> ListAsync(
        string? status, string? limit, string? offset, ClaimsPrincipal user, TaskService tasks, CancellationToken cancellationToken)
    {
        if (!TaskStatusFilters.TryParse(status, out var filter))
        {
            return ApiProblems.Invalid("status", $"status must be one of: {TaskStatusFilters.AllowedValues}.");
        }

        if (!PageQuery.TryRead(limit, offset, out var pageLimit, out var pageOffset, out var pageProblem))
        {
            return pageProblem;
        }

        var page = await tasks.ListAsync(user.GetUserId(), filter, pageLimit, pageOffset, cancellationToken);
        return TypedResults.Ok(page.Select(TaskResponse.From).ToList());
    }

    private static async Task<IResult> CreateAsync(
        TaskRequest body, ClaimsPrincipal user, TaskService tasks, HttpContext http, CancellationToken cancellationToken) =>
        TaskResults.From(await tasks.CreateAsync(user.GetUserId(), body.Title, body.Description, cancellationToken), http);

    private static async Task<IResult> GetAsync(
        int id, ClaimsPrincipal user, TaskService tasks, HttpContext http, CancellationToken cancellationToken)
    {
        if (TaskRules.ValidateId(id) is { } idError)
        {
            return ApiProblems.Invalid("id", idError);
        }

        var task = await tasks.GetAsync(user.GetUserId(), id, cancellationToken);
        return task is null ? TaskResults.NotFound : TaskResults.Ok(task, http);
    }

    private static async Task<IResult> ReplaceAsync(
        int id, TaskRequest body, ClaimsPrincipal user, TaskService tasks, HttpContext http, CancellationToken cancellationToken)
    {
        var edit = TaskEdit.Replace(body.Title, body.Description);
        return await WithPreconditionAsync(id, user, tasks, http,
            (userId, expected) => tasks.UpdateAsync(userId, id, edit, expected, cancellationToken),
            outcome => TaskResults.From(outcome, http), cancellationToken);
    }

    private static Task<IResult> SetCompletedAsync(
        int id,
        [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CompletionRequest? body,
        ClaimsPrincipal user, TaskService tasks, HttpContext http, CancellationToken cancellationToken) =>
        WithPreconditionAsync(id, user, tasks, http,
            (userId, expected) => tasks.SetCompletedAsync(userId, id, body?.Completed, expected, cancellationToken),
            outcome => TaskResults.From(outcome, http), cancellationToken);

    private static Task<IResult> DeleteAsync(
        int id, ClaimsPrincipal user, TaskService tasks, HttpContext http, CancellationToken cancellationToken) =>
        WithPreconditionAsync(id, user, tasks, http,
            (userId, expected) => tasks.DeleteAsync(userId, id, expected, cancellationToken),
            outcome => outcome.Succeeded ? TypedResults.NoContent() : TaskResults.From(outcome, http), cancellationToken);

    /// <summary>
    /// Validates the id, resolves <c>If-Match</c> to the version the domain must find, then runs
    /// <paramref name="change"/> and answers with <paramref name="present"/>. A single tag goes straight to the domain (checked against the row it locks);
    /// a list, or tags that cannot match, are checked against the current task first.
    /// </summary>
    private static async Task<IResult> WithPreconditionAsync(
        int id, ClaimsPrincipal user, TaskService tasks, HttpContext http,
        Func<Guid, uint?, Task<TaskOutcome>> change, Func<TaskOutcome, IResult> present, CancellationToken cancellationToken)
    {
        if (TaskRules.ValidateId(id) is { } idError)
        {
            return ApiProblems.Invalid("id", idError);
        }

        var userId = user.GetUserId();
        var ifMatch = EntityTags.ParseIfMatch(http.Request);
        uint? expected = null;
        if (!ifMatch.IsAbsent && ifMatch.Versions.Count == 1)
        {
            expected = ifMatch.Versions[0];
        }
        else if (!ifMatch.IsAbsent)
        {
            var current = await tasks.GetAsync(userId, id, cancellationToken);
            if (current is null)
            {
                return TaskResults.NotFound;
            }

            if (!ifMatch.Versions.Contains(current.Version))
            {
                return TaskResults.PreconditionFailed;
            }

            expected = current.Version;
        }

        return present(await change(userId, expected));
    }
}
