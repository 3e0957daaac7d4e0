using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Phase4.Backend.Chat;

/// <summary>A chat turn's MCP session and the tools offered to the model, bound to it; dispose the session when the turn ends.</summary>
public sealed record McpToolSession(McpClient Client, IList<McpClientTool> Tools) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}

/// <summary>
/// The chat's MCP client: talks to the MCP server over Streamable HTTP as one user, every request carrying that
/// user's short-lived MCP-audience token, so the tools act for them and nobody else. Its HTTP client has service
/// discovery like every client of the app (ServiceDefaults), so <see cref="McpConnectionOptions.Endpoint"/>'s host is
/// resolved on each request (<c>services__mcpserver__http__0</c>, spread over every address it lists).
/// <para>
/// The MCP server is stateless (no <c>Mcp-Session-Id</c>, every request stands alone), so what the handshake and
/// <c>tools/list</c> return is the same for every user and every turn: they run once, and again after
/// <see cref="McpToolListOptions.TimeToLive"/> (a new server release may offer other tools). Between, a turn resumes
/// that handshake's outcome without a request (<see cref="McpClient.ResumeSessionAsync"/>, the SDK's documented way to
/// skip <c>initialize</c>) and binds the remembered tool definitions to it (<see cref="McpClientTool"/>'s constructor,
/// documented for reusing cached definitions): a turn's only MCP requests are its tool calls.
/// </para>
/// </summary>
public sealed class McpToolClient(
    IHttpClientFactory httpClients, IOptions<McpConnectionOptions> options, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>The named HTTP client for MCP calls (no standard resilience handler: tool calls are not retried).</summary>
    public const string HttpClientName = "mcp";

    private static readonly Implementation ClientInfo = new() { Name = "phase4-backend-chat", Version = "1.0.0" };

    private sealed record Discovery(ResumeClientSessionOptions Session, IReadOnlyList<Tool> Tools, DateTimeOffset Expires);

    private volatile Discovery? _discovery;

    /// <summary>A session for one turn as the user <paramref name="accessToken"/> stands for, with the server's tools.</summary>
    public async Task<McpToolSession> ConnectAsync(string accessToken, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var clientOptions = new McpClientOptions { ClientInfo = ClientInfo, InitializationTimeout = settings.Timeout };
        if (_discovery is { } known && time.GetUtcNow() < known.Expires)
        {
            var resumed = await McpClient.ResumeSessionAsync(Transport(accessToken), known.Session, clientOptions, loggers, cancellationToken);
            // The SDK's documented way to give a resumed session the tool definitions a listing would have: its tool
            // calls then carry the same headers as a fresh session's (and no "not found in cache" line per call).
            resumed.AddKnownTools(known.Tools);
            return new McpToolSession(resumed, [.. known.Tools.Select(tool => new McpClientTool(resumed, tool))]);
        }

        var client = await McpClient.CreateAsync(Transport(accessToken), clientOptions, loggers, cancellationToken);
        try
        {
            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            // Resuming needs the server's identity, which a server answering server/discover may leave out.
            if (settings.ToolList.TimeToLive > TimeSpan.Zero && client.ServerInfo is { } serverInfo)
            {
                _discovery = new Discovery(
                    new ResumeClientSessionOptions
                    {
                        ServerCapabilities = client.ServerCapabilities,
                        ServerInfo = serverInfo,
                        ServerInstructions = client.ServerInstructions,
                        NegotiatedProtocolVersion = client.NegotiatedProtocolVersion,
                    },
                    [.. tools.Select(tool => tool.ProtocolTool)],
                    time.GetUtcNow() + settings.ToolList.TimeToLive);
            }

            return new McpToolSession(client, tools);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets the remembered handshake and tools: the next turn asks the server again.</summary>
    public void Forget() => _discovery = null;

    private HttpClientTransport Transport(string accessToken)
    {
        var settings = options.Value;
        return new HttpClientTransport(
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
    }
}
