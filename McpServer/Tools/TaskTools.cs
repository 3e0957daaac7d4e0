using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Phase4.Domain.Tasks;
using Phase4.Mcp.Security;

namespace Phase4.Mcp.Tools;

/// <summary>
/// The task tools, with the names, snake_case arguments and result shapes of their original contract, which existing
/// MCP clients use. A thin adapter over <see cref="TaskService"/>: every rule lives there. Parameter names are the
/// wire names, hence snake_case.
/// </summary>
[McpServerToolType]
internal sealed class TaskTools(TaskService tasks, ActingUser user)
{
    // user_id stays a parameter so that it is in each tool's input schema and bound like any argument; the one
    // check that it names the token's user is ClaimedUserFilter, which runs before every tool.
    private const string UserIdDescription =
        "Optional, kept for compatibility with older clients. Leave it out: the tool always acts for the signed-in " +
        "user of the access token, and any other value is refused.";

    private const string TaskIdDescription = "The task's id, as shown by list_tasks (and by the web app).";

    [McpServerTool(Name = "add_task", Title = "Add a task", Idempotent = false, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(TaskActionResult))]
    [Description("Creates a new pending task for the signed-in user. Returns {task_id, status: \"created\", title}.")]
    public async Task<CallToolResult> AddTask(
        [Description("What to do, 1-200 characters on one line, e.g. \"Buy groceries\".")]
        [StringLength(TaskRules.TitleMaxLength, MinimumLength = 1)] string title,
        [Description("Optional details, up to 1000 characters.")]
        [MaxLength(TaskRules.DescriptionMaxLength)] string? description = null,
        [Description(UserIdDescription)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var outcome = await tasks.CreateAsync(user.Id, title, description, cancellationToken);
        return ToolResults.FromOutcome(outcome, taskId: 0, "created");
    }

    [McpServerTool(Name = "list_tasks", Title = "List tasks", ReadOnly = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(TaskListResult))]
    [Description("Lists the signed-in user's tasks, newest first (at most 200). The text result is a JSON array of " +
        "{id, title, description, completed, created_at}; use the ids with the other tools.")]
    public async Task<CallToolResult> ListTasks(
        [Description("Which tasks: \"all\" (the default), \"pending\" (not done yet) or \"completed\" (done).")]
        [AllowedValues("all", "pending", "completed")] string? status = null,
        [Description(UserIdDescription)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        if (!TaskStatusFilters.TryParse(status, out var filter))
        {
            return ToolResults.Error($"Invalid status \"{status}\": use one of {TaskStatusFilters.AllowedValues}.");
        }

        var found = await tasks.ListAsync(user.Id, filter, TaskRules.MaxPageSize, offset: 0, cancellationToken);
        var items = found.Select(t => new TaskListItem(t.Id, t.Title, t.Description, t.Completed, t.CreatedAt)).ToList();

        // Clients of the original contract read the text as a bare array; MCP wants structured content to be an object.
        var result = ToolResults.Success(new TaskListResult(items), ToolJsonContext.Default.TaskListResult);
        result.Content = [new TextContentBlock
        {
            Text = System.Text.Json.JsonSerializer.Serialize<IReadOnlyList<TaskListItem>>(items, ToolJsonContext.Default.IReadOnlyListTaskListItem),
        }];
        return result;
    }

    [McpServerTool(Name = "complete_task", Title = "Complete a task", Idempotent = true, Destructive = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(TaskActionResult))]
    [Description("Marks a task as done (completing a done task changes nothing). " +
        "Returns {task_id, status: \"completed\", title}.")]
    public async Task<CallToolResult> CompleteTask(
        [Description(TaskIdDescription)][Range(1, int.MaxValue)] int task_id,
        [Description(UserIdDescription)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var outcome = await tasks.SetCompletedAsync(user.Id, task_id, completed: true, expectedVersion: null, cancellationToken);
        return ToolResults.FromOutcome(outcome, task_id, "completed");
    }

    [McpServerTool(Name = "delete_task", Title = "Delete a task", Destructive = true, Idempotent = false, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(TaskActionResult))]
    [Description("Deletes a task permanently. Returns {task_id, status: \"deleted\", title}.")]
    public async Task<CallToolResult> DeleteTask(
        [Description(TaskIdDescription)][Range(1, int.MaxValue)] int task_id,
        [Description(UserIdDescription)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var outcome = await tasks.DeleteAsync(user.Id, task_id, expectedVersion: null, cancellationToken);
        return ToolResults.FromOutcome(outcome, task_id, "deleted");
    }

    [McpServerTool(Name = "update_task", Title = "Update a task", Destructive = true, Idempotent = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(TaskActionResult))]
    [Description("Changes a task's title and/or description; give at least one. " +
        "Returns {task_id, status: \"updated\", title} with the new title.")]
    public async Task<CallToolResult> UpdateTask(
        [Description(TaskIdDescription)][Range(1, int.MaxValue)] int task_id,
        [Description("The new title, 1-200 characters on one line. Leave it out to keep the current title.")]
        [StringLength(TaskRules.TitleMaxLength, MinimumLength = 1)] string? title = null,
        [Description("The new description, up to 1000 characters; an empty string removes it. " +
            "Leave it out to keep the current description.")]
        [MaxLength(TaskRules.DescriptionMaxLength)] string? description = null,
        [Description(UserIdDescription)] string? user_id = null,
        CancellationToken cancellationToken = default)
    {
        var edit = new TaskEdit(title, description, ReplaceDescription: description is not null);
        var outcome = await tasks.UpdateAsync(user.Id, task_id, edit, expectedVersion: null, cancellationToken);
        return ToolResults.FromOutcome(outcome, task_id, "updated");
    }
}
