using System.Text.Json;
using System.Text.Json.Nodes;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>A task as the <c>list_tasks</c> tool reports it.</summary>
public sealed record TaskItem(int Id, string Title, string? Description, bool Completed)
{
    /// <summary>Reads a <c>list_tasks</c> value: the Phase 3 array, or the <c>{tasks: [...]}</c> object around it.</summary>
    public static IReadOnlyList<TaskItem> ListFrom(JsonNode? value)
    {
        var array = value as JsonArray ?? (value as JsonObject)?["tasks"] as JsonArray;
        if (array is null)
        {
            return [];
        }

        var tasks = new List<TaskItem>(array.Count);
        foreach (var node in array.OfType<JsonObject>())
        {
            if (ReadInt(node["id"] ?? node["task_id"]) is { } id && node["title"] is JsonValue title
                && title.TryGetValue<string>(out var titleText))
            {
                tasks.Add(new TaskItem(
                    id,
                    titleText,
                    node["description"] is JsonValue d && d.TryGetValue<string>(out var description) ? description : null,
                    node["completed"] is JsonValue c && c.TryGetValue<bool>(out var completed) && completed));
            }
        }

        return tasks;
    }

    /// <summary>The id and title a single-task tool (add, complete, delete, update) reported.</summary>
    public static (int? TaskId, string? Title) ResultOf(JsonNode? value) =>
        value is JsonObject result
            ? (ReadInt(result["task_id"] ?? result["id"]), result["title"] is JsonValue t && t.TryGetValue<string>(out var title) ? title : null)
            : (null, null);

    private static int? ReadInt(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<int>(out var number))
        {
            return number;
        }

        if (value.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out number))
        {
            return number;
        }

        return value.TryGetValue<string>(out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out number)
            ? number
            : null;
    }
}
