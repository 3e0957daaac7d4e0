using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Phase4.Backend.Chat;

/// <summary>
/// What one tool call returned, as JSON: the tool's value, or the error message of a failed call.
/// </summary>
public sealed record ToolOutcome(JsonNode? Value, string? Error)
{
    public bool Failed => Error is not null;

    /// <summary>The value as stored and returned in <c>tool_calls[].result</c>: the tool's JSON, or <c>{"error": ...}</c>.</summary>
    public JsonNode? ToResultJson() => Failed ? new JsonObject { ["error"] = Error } : Value?.DeepClone();

    /// <summary>The inverse of <see cref="ToResultJson"/>: a stored or recorded <c>tool_calls[].result</c>.</summary>
    public static ToolOutcome FromResultJson(JsonNode? result) =>
        result is JsonObject { Count: 1 } failure && failure["error"] is JsonValue error
            ? new ToolOutcome(null, error.ToString())
            : new ToolOutcome(result, null);

    /// <summary>
    /// Reads a function result in any of the forms the function-invocation loop produces: an MCP <c>CallToolResult</c>
    /// envelope (when the result is structured or an error), a single text content (plain MCP text results), a string,
    /// any JSON value (in-process functions), or a failure captured as an exception.
    /// </summary>
    public static ToolOutcome From(FunctionResultContent result)
    {
        if (result.Exception is { } exception)
        {
            return new ToolOutcome(null, exception.Message);
        }

        return result.Result switch
        {
            null => new ToolOutcome(null, null),
            JsonElement element => FromJson(JsonNode.Parse(element.GetRawText())),
            JsonNode node => FromJson(node),
            TextContent text => new ToolOutcome(ParseTextValue(text.Text), null),
            string text => new ToolOutcome(ParseTextValue(text), null),
            IEnumerable<AIContent> contents => new ToolOutcome(
                ParseTextValue(string.Concat(contents.OfType<TextContent>().Select(c => c.Text))), null),
            var other => FromJson(JsonSerializer.SerializeToNode(other, AIJsonUtilities.DefaultOptions)),
        };
    }

    private static ToolOutcome FromJson(JsonNode? node)
    {
        if (node is not JsonObject envelope || envelope["content"] is not JsonArray content
            || !(envelope.ContainsKey("isError") || envelope.ContainsKey("structuredContent")))
        {
            return new ToolOutcome(node, null);
        }

        var text = string.Concat(content.OfType<JsonObject>()
            .Where(block => block["type"]?.GetValue<string>() == "text")
            .Select(block => block["text"]?.GetValue<string>()));

        if (envelope["isError"] is JsonValue isError && isError.GetValue<bool>())
        {
            return new ToolOutcome(null, text.Length > 0 ? text : "The tool failed.");
        }

        // JSON text is the tool's own (Phase 3) shape; the structured copy is the object MCP requires around it.
        var value = ParseTextValue(text);
        if (value is JsonValue && envelope["structuredContent"] is JsonNode structured)
        {
            value = structured.DeepClone();
        }

        return new ToolOutcome(value, null);
    }

    /// <summary>Tool text is usually JSON; plain text stays a JSON string.</summary>
    private static JsonNode? ParseTextValue(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try
            {
                return JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not JSON after all: keep it as text.
            }
        }

        return JsonValue.Create(text);
    }
}
