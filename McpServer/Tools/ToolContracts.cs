using System.Text.Json;
using System.Text.Json.Serialization;
using ModelContextProtocol;

namespace Phase4.Mcp.Tools;

/// <summary>What add_task, complete_task, delete_task and update_task return (the original contract's shape).</summary>
public sealed record TaskActionResult(int TaskId, string Status, string Title);

/// <summary>One task as list_tasks returns it (the original contract's shape).</summary>
public sealed record TaskListItem(int Id, string Title, string? Description, bool Completed, DateTimeOffset CreatedAt);

/// <summary>list_tasks' structured content: MCP requires an object, so the array is wrapped.</summary>
public sealed record TaskListResult(IReadOnlyList<TaskListItem> Tasks);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(TaskActionResult))]
[JsonSerializable(typeof(TaskListResult))]
[JsonSerializable(typeof(IReadOnlyList<TaskListItem>))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;

internal static class ToolJson
{
    /// <summary>
    /// The SDK's options with snake_case names and our contracts first, so the advertised output schemas use the
    /// same property names as the results (source-generated contracts take their names from the options in use).
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        options.TypeInfoResolverChain.Insert(0, ToolJsonContext.Default);
        options.MakeReadOnly();
        return options;
    }
}
