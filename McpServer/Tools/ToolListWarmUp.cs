using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Phase4.Domain.Data;

namespace Phase4.Mcp.Tools;

/// <summary>
/// The MCP server's part of the first request before readiness (<see cref="IWarmUp"/>): the SDK builds the tools (their
/// JSON schemas, by reflection over <see cref="TaskTools"/>) when its options are first asked for, which was on the
/// first request of a new pod; here they are built, and their list serialised, before it reports ready.
/// </summary>
internal sealed class ToolListWarmUp : IWarmUp
{
    public Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        foreach (var tool in services.GetRequiredService<IOptions<McpServerOptions>>().Value.ToolCollection ?? [])
        {
            JsonSerializer.SerializeToUtf8Bytes(tool.ProtocolTool, McpJsonUtilities.DefaultOptions);
        }

        return Task.CompletedTask;
    }
}
