using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Phase4.Backend.Chat;

/// <summary>
/// The chat's MCP client: connects to the MCP server over Streamable HTTP as one user, every request carrying that
/// user's short-lived MCP-audience token, so the tools act for them and nobody else. Its HTTP client has service
/// discovery like every client of the app (ServiceDefaults), so <see cref="McpConnectionOptions.Endpoint"/>'s host is
/// resolved on each request (<c>services__mcpserver__http__0</c>, spread over every address it lists).
/// </summary>
public sealed class McpToolClient(IHttpClientFactory httpClients, IOptions<McpConnectionOptions> options, ILoggerFactory loggers)
{
    /// <summary>The named HTTP client for MCP calls (no standard resilience handler: tool calls are not retried).</summary>
    public const string HttpClientName = "mcp";

    private static readonly Implementation ClientInfo = new() { Name = "phase4-backend-chat", Version = "1.0.0" };

    /// <summary>An initialised MCP session; dispose it when the turn ends.</summary>
    public async Task<McpClient> ConnectAsync(string accessToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var transport = new HttpClientTransport(
            new HttpClientTransportOptions
            {
                Endpoint = settings.Endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                Name = "mcpserver",
                ConnectionTimeout = settings.Timeout,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + accessToken },

                // The server is stateless: there is no session stream to listen on.
                EnableStandaloneGetStream = false,
            },
            httpClients.CreateClient(HttpClientName),
            loggers,
            ownsHttpClient: true);

        return await McpClient.CreateAsync(
            transport, new McpClientOptions { ClientInfo = ClientInfo, InitializationTimeout = settings.Timeout }, loggers, cancellationToken);
    }
}
