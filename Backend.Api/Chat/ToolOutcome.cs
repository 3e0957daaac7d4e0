using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Phase4.Backend.Chat;

/// <summary>
/// What one tool call returned: the tool's value, or the error message of a failed call. The one shape of a tool
/// result in a turn: read once from the function-invocation loop (<see cref="From"/>), then recorded, planned on by
/// the builtin assistant, stored and answered as is. Its JSON, <c>tool_calls[].result</c> in the database and in the
/// API, is written by <see cref="ToResultJson"/> and read by <see cref="FromResultJson"/>, and nowhere else.
/// </summary>
[JsonConverter(typeof(ToolOutcomeJsonConverter))]
public sealed record ToolOutcome(JsonNode? Value, string? Error)
{
    /// <summary>A call that returned nothing (or whose result is missing).</summary>
    public static readonly ToolOutcome Nothing = new(null, null);

    public bool Failed => Error is not null;

    /// <summary>The JSON of <c>tool_calls[].result</c>: the tool's value, or <c>{"error": ...}</c>.</summary>
    public JsonNode? ToResultJson() => Failed ? new JsonObject { ["error"] = Error } : Value?.DeepClone();

    /// <summary>The inverse of <see cref="ToResultJson"/>: a stored <c>tool_calls[].result</c>, or one handed back to the model.</summary>
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
            null => Nothing,
            JsonElement element => FromJson(JsonNode.Parse(element.GetRawText())),
            JsonNode node => FromJson(node),
            TextContent text => FromResultJson(ParseTextValue(text.Text)),
            string text => FromResultJson(ParseTextValue(text)),
            IEnumerable<AIContent> contents => FromResultJson(ParseTextValue(string.Concat(contents.OfType<TextContent>().Select(c => c.Text)))),
            var other => FromJson(JsonSerializer.SerializeToNode(other, AIJsonUtilities.DefaultOptions)),
        };
    }

    /// <summary>An MCP <c>CallToolResult</c> envelope, else a result in its stored form (earlier turns come back so).</summary>
    private static ToolOutcome FromJson(JsonNode? node)
    {
        if (node is not JsonObject envelope || envelope["content"] is not JsonArray content
            || !(envelope.ContainsKey("isError") || envelope.ContainsKey("structuredContent")))
        {
            return FromResultJson(node);
        }

        var text = string.Concat(content.OfType<JsonObject>()
            .Where(block => block["type"]?.GetValue<string>() == "text")
            .Select(block => block["text"]?.GetValue<string>()));

        if (envelope["isError"] is JsonValue isError && isError.GetValue<bool>())
        {
            return new ToolOutcome(null, text.Length > 0 ? text : "The tool failed.");
        }

        // JSON text is the tool's own (original contract) shape; the structured copy is the object MCP requires around it.
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

/// <summary>Writes and reads a <see cref="ToolOutcome"/> as its <c>tool_calls[].result</c> JSON (the format stored since the first release).</summary>
internal sealed class ToolOutcomeJsonConverter : JsonConverter<ToolOutcome>
{
    public override ToolOutcome Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ToolOutcome.FromResultJson(JsonNode.Parse(ref reader));

    public override void Write(Utf8JsonWriter writer, ToolOutcome value, JsonSerializerOptions options)
    {
        if (value.ToResultJson() is { } json)
        {
            json.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
