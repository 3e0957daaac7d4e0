using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol.Protocol;
using Phase4.Domain.Tasks;

namespace Phase4.Mcp.Tools;

/// <summary>
/// Builds tool results. Failures are tool errors (<c>isError: true</c> with a message a model can act on), never
/// protocol errors, so the model sees what went wrong and can correct itself.
/// </summary>
internal static class ToolResults
{
    public static CallToolResult Success<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToElement(value, typeInfo);
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = json.GetRawText() }],
            StructuredContent = json,
        };
    }

    public static CallToolResult Error(string message) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = message }],
    };

    /// <summary>Maps a task operation to <c>{task_id, status, title}</c> on success, else to a tool error.</summary>
    public static CallToolResult FromOutcome(TaskOutcome outcome, int taskId, string status) => outcome switch
    {
        { Succeeded: true, Task: { } task } =>
            Success(new TaskActionResult(task.Id, status, task.Title), ToolJsonContext.Default.TaskActionResult),
        { Kind: TaskOutcomeKind.NotFound } =>
            Error($"Task {taskId} was not found. Call list_tasks to see the ids of your tasks."),
        { Kind: TaskOutcomeKind.Invalid, Field: { } field } =>
            Error($"Invalid {field}: {outcome.Error}"),
        _ => Error(outcome.Error ?? "The task could not be changed."),
    };

    public static CallToolResult WrongUser() =>
        Error("user_id does not match the signed-in user. Omit user_id: tools always act for the user of the access token.");
}
