using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Phase4.Mcp.Tools;

namespace Phase4.Mcp.Security;

/// <summary>
/// The backend's start-up warm-up token (<see cref="ServiceDefaults.Security.Phase4Claims.WarmUp"/>) calls read-only
/// tools only: it stands for no account, and a warm-up changes nothing.
/// </summary>
internal static class WarmUpFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool tool
                && tool.ProtocolTool.Annotations?.ReadOnlyHint != true
                && (context.Services ?? throw new InvalidOperationException("Tool called without request services."))
                    .GetRequiredService<ActingUser>().IsWarmUp)
            {
                return ValueTask.FromResult(ToolResults.Error("A warm-up token may call read-only tools only."));
            }

            return next(context, cancellationToken);
        };
}
