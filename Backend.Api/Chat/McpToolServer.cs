using System.Globalization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Phase4.Backend.Chat;

/// <summary>
/// Connects to the MCP server over Streamable HTTP as one user: every request carries that user's short-lived
/// MCP-audience token, so the tools act for them and nobody else.
/// </summary>
public sealed class McpToolServer(
    IHttpClientFactory httpClients, ServiceEndpointResolver endpoints, IOptions<McpConnectionOptions> options, ILoggerFactory loggers)
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
                Endpoint = await ResolveAsync(settings.Endpoint, cancellationToken),
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

    /// <summary>
    /// The transport accepts only http(s) addresses, so an <c>https+http://mcpserver/mcp</c> address is resolved here
    /// through service discovery to the first endpoint it finds, keeping the path.
    /// </summary>
    private async Task<Uri> ResolveAsync(Uri configured, CancellationToken cancellationToken)
    {
        if (configured.Scheme == Uri.UriSchemeHttp || configured.Scheme == Uri.UriSchemeHttps)
        {
            return configured;
        }

        var serviceName = configured.GetLeftPart(UriPartial.Authority);
        var source = await endpoints.GetEndpointsAsync(serviceName, cancellationToken);
        var endpoint = source.Endpoints.Count > 0
            ? source.Endpoints[0].EndPoint
            : throw new HttpRequestException($"Service discovery found no endpoint for {serviceName}.");

        var baseAddress = endpoint switch
        {
            UriEndPoint uri => uri.Uri,
            System.Net.DnsEndPoint dns => new UriBuilder(configured.Scheme.Split('+')[0], dns.Host, dns.Port > 0 ? dns.Port : -1).Uri,
            System.Net.IPEndPoint ip => new UriBuilder(configured.Scheme.Split('+')[0], ip.Address.ToString(), ip.Port > 0 ? ip.Port : -1).Uri,
            _ => throw new HttpRequestException(string.Create(CultureInfo.InvariantCulture, $"Unsupported endpoint {endpoint} for {serviceName}.")),
        };
        return new Uri(baseAddress, configured.PathAndQuery);
    }
}
