namespace Phase4.Mcp.Security;

/// <summary>Settings of the MCP endpoint (section <c>Mcp</c>).</summary>
public sealed class McpOptions
{
    public const string SectionName = "Mcp";

    /// <summary>
    /// Comma-separated browser origins (e.g. <c>http://localhost:5173</c>) allowed to call the server. Requests that
    /// send another <c>Origin</c> are refused (DNS-rebinding protection); requests without one (SDK clients,
    /// desktop apps, the chat agent) are not affected.
    /// </summary>
    public string? AllowedOrigins { get; set; }
}
