namespace Phase4.Backend.Chat;

/// <summary>Where the chat agent finds the MCP server's tools (section <c>Mcp</c>).</summary>
public sealed class McpConnectionOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// The Streamable HTTP endpoint, http or https (the MCP transport takes no other scheme). Its host is a service
    /// name or an address: service discovery resolves <c>mcpserver</c> through <c>services__mcpserver__http__0</c>
    /// (set by Aspire, the compose file and the Kubernetes output), and passes any other host through unchanged.
    /// </summary>
    public Uri Endpoint { get; set; } = new("http://mcpserver/mcp");

    /// <summary>Bound on connecting and on each tool call: the tools are quick database operations.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bound on opening a TCP connection to the MCP server. Without it only <see cref="Timeout"/> ends a connection
    /// attempt to a peer that never answers (a black-holed network path), so a chat turn would wait all of it.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long the MCP server's handshake outcome and tool list are reused before they are asked for again.</summary>
    public McpToolListOptions ToolList { get; set; } = new();
}

/// <summary>Section <c>Mcp:ToolList</c>.</summary>
public sealed class McpToolListOptions
{
    /// <summary>
    /// Reused this long by every turn (all users see the same tools); zero asks on every turn. A release of the MCP
    /// server that changes its tools is seen by the backend within this time.
    /// </summary>
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromMinutes(5);
}
