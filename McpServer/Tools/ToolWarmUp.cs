using System.IO.Pipelines;
using System.Security.Claims;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Phase4.Domain.Data;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Mcp.Tools;

/// <summary>
/// The MCP request path before the first client's request (<see cref="IWarmUp"/>): this server's own options, tools
/// and filters, served in-process over a pipe to an SDK client that initializes, lists the tools and calls them, as a
/// warm-up principal (<see cref="Phase4Claims.WarmUp"/>, a new id no account has): <c>list_tasks</c> reads nothing of
/// anybody and <c>add_task</c> is refused before it acts (<see cref="Security.WarmUpFilter"/>). Only the HTTP transport
/// and authentication stay cold; the backend's own warm-up turn reaches them when this server is up first.
/// </summary>
internal sealed class ToolWarmUp(IOptions<McpServerOptions> serverOptions, IHttpContextAccessor httpContext) : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The tools read the acting user from the request (ActingUser); this flow's own request stands for nobody.
        httpContext.HttpContext = new DefaultHttpContext { RequestServices = services, User = WarmUpPrincipal() };
        try
        {
            var (toServer, toClient) = (new Pipe(), new Pipe());
            // Unlogged: a client's requests are logged, the warm-up's would only say the server started.
            var transport = new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), loggerFactory: NullLoggerFactory.Instance);
            await using var server = McpServer.Create(transport, serverOptions.Value, NullLoggerFactory.Instance, services);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var serving = server.RunAsync(stop.Token);
            await using (var client = await McpClient.CreateAsync(
                new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream(), NullLoggerFactory.Instance),
                loggerFactory: NullLoggerFactory.Instance, cancellationToken: cancellationToken))
            {
                await client.ListToolsAsync(cancellationToken: cancellationToken);
                await client.CallToolAsync("list_tasks", new Dictionary<string, object?> { ["status"] = "pending" }, cancellationToken: cancellationToken);
                await client.CallToolAsync("add_task", new Dictionary<string, object?> { ["title"] = "warm-up" }, cancellationToken: cancellationToken);
            }

            await stop.CancelAsync();
            await serving.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            httpContext.HttpContext = null;
        }
    }

    private static ClaimsPrincipal WarmUpPrincipal() =>
        new(new ClaimsIdentity(
            [new Claim(JwtRegisteredClaimNames.Sub, Guid.NewGuid().ToString("D")), new Claim(Phase4Claims.WarmUp, "true")],
            authenticationType: "warm-up"));
}
