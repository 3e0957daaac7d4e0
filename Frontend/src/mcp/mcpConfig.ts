/** MCP clients connect to the same public origin as the page; the Node server forwards /mcp to the MCP server. */
export function mcpServerUrl(origin: string): string {
  return `${origin.replace(/\/$/, '')}/mcp`;
}

/** A client entry in the shape VS Code's mcp.json uses (Claude Desktop and others take the same url/headers). */
export function mcpClientConfig(url: string, token: string): string {
  return JSON.stringify(
    { servers: { phase4: { type: 'http', url, headers: { Authorization: `Bearer ${token}` } } } },
    null,
    2,
  );
}
