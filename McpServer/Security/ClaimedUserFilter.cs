using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Phase4.Mcp.Tools;

namespace Phase4.Mcp.Security;

/// <summary>
/// Every task tool takes an optional <c>user_id</c>, kept for older clients, that may only name the token's user
/// (<see cref="ActingUser.IsSameUser"/>): a call that names someone else is refused here, once, before any tool runs.
/// A <c>user_id</c> that is not a string is left to argument binding, which reports it as an invalid argument.
/// </summary>
internal static class ClaimedUserFilter
{
    public const string ArgumentName = "user_id";

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Wrap(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) =>
        (context, cancellationToken) =>
        {
            if (context.MatchedPrimitive is McpServerTool
                && context.Params?.Arguments is { } arguments
                && arguments.TryGetValue(ArgumentName, out var claimed)
                && claimed.ValueKind == JsonValueKind.String
                && !ActingUserOf(context).IsSameUser(claimed.GetString()))
            {
                return ValueTask.FromResult(ToolResults.WrongUser());
            }

            return next(context, cancellationToken);
        };

    private static ActingUser ActingUserOf(RequestContext<CallToolRequestParams> context) =>
        (context.Services ?? throw new InvalidOperationException("Tool called without request services."))
            .GetRequiredService<ActingUser>();
}
