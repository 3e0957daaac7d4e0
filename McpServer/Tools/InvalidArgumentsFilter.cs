using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Phase4.Mcp.Tools;

/// <summary>
/// Arguments that cannot be bound to a tool's parameters (a missing task_id, "three" for an integer) become a tool
/// error that says what is wrong, instead of the SDK's generic "An error occurred invoking ...".
/// </summary>
internal static class InvalidArgumentsFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        async (context, cancellationToken) =>
        {
            try
            {
                return await next(context, cancellationToken);
            }
            catch (ArgumentException e)
            {
                return ToolResults.Error($"Invalid arguments for {context.Params?.Name}: {e.Message} Check the tool's input schema.");
            }
            catch (JsonException)
            {
                return ToolResults.Error(
                    $"Invalid arguments for {context.Params?.Name}: an argument has the wrong type (task_id is an integer, " +
                    "the others are strings). Check the tool's input schema.");
            }
        };
}
