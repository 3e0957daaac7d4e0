using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Phase4.Tests.Mcp;

/// <summary>Reading tool results the way a client does: the text content parsed as JSON, or the error message.</summary>
internal static class McpResults
{
    public static Task<CallToolResult> CallAsync(this McpClient client, string tool, object? arguments = null) =>
        client.CallToolAsync(tool, ToDictionary(arguments)).AsTask();

    public static string Text(this CallToolResult result) =>
        Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;

    /// <summary>The text content of a successful call, parsed.</summary>
    public static JsonElement Json(this CallToolResult result)
    {
        Assert.True(result.IsError is not true, "Expected success but the tool failed: " + result.Text());
        return JsonDocument.Parse(result.Text()).RootElement.Clone();
    }

    /// <summary>The message of a failed call.</summary>
    public static string Error(this CallToolResult result)
    {
        Assert.True(result.IsError, "Expected a tool error but the call succeeded: " + result.Text());
        return result.Text();
    }

    private static Dictionary<string, object?>? ToDictionary(object? arguments) =>
        arguments is null
            ? null
            : JsonSerializer.SerializeToElement(arguments).EnumerateObject()
                .ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
