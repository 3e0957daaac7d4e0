namespace Phase4.Backend.Chat;

/// <summary>Where the chat agent finds the MCP server's tools (section <c>Mcp</c>).</summary>
public sealed class McpConnectionOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// The Streamable HTTP endpoint. A <c>scheme+scheme://name</c> address is resolved by service discovery
    /// (Aspire's <c>services__mcpserver__http__0</c>, or the name itself in Kubernetes).
    /// </summary>
    public Uri Endpoint { get; set; } = new("https+http://mcpserver/mcp");

    /// <summary>Bound on connecting and on each tool call: the tools are quick database operations.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
