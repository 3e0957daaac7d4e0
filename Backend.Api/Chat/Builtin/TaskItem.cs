using System.Globalization;
using System.Text.Json.Nodes;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>A task as the <c>list_tasks</c> tool reports it.</summary>
public sealed record TaskItem(int Id, string Title, string? Description, bool Completed)
{
    /// <summary>Reads a <c>list_tasks</c> value: the bare array of the tools' original contract, or the <c>{tasks: [...]}</c> object around it.</summary>
    public static IReadOnlyList<TaskItem> ListFrom(JsonNode? value) =>
        (value as JsonArray ?? (value as JsonObject)?["tasks"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(task => ReadId(task["id"] ?? task["task_id"]) is not null && Text(task["title"]) is not null)
            .Select(task => new TaskItem(
                ReadId(task["id"] ?? task["task_id"])!.Value,
                Text(task["title"])!,
                Text(task["description"]),
                task["completed"] is JsonValue completed && completed.TryGetValue<bool>(out var done) && done))
            .ToList();

    /// <summary>The id and title a single-task tool (add, complete, delete, update) reported.</summary>
    public static (int? TaskId, string? Title) ResultOf(JsonNode? value) =>
        value is JsonObject result ? (ReadId(result["task_id"] ?? result["id"]), Text(result["title"])) : (null, null);

    /// <summary>A task id however the JSON carries it: a number (of any CLR type), or a string of digits.</summary>
    public static int? ReadId(JsonNode? node) =>
        node is JsonValue value && int.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
