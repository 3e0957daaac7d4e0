// Calls the Phase4 MCP server with the official TypeScript SDK client over Streamable HTTP.
// Usage: MCP_URL=http://127.0.0.1:PORT/mcp MCP_TOKEN=<jwt> TASK_TITLE="..." node ts-client.mjs
// Prints one JSON object: {server, tools, add_task, list_tasks}. Exits non-zero on any failure.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = process.env.MCP_URL;
const token = process.env.MCP_TOKEN;
const title = process.env.TASK_TITLE ?? "Task from the TypeScript SDK";
if (!url || !token) {
  console.error("MCP_URL and MCP_TOKEN are required.");
  process.exit(2);
}

const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "phase4-interop-ts", version: "1.0.0" });

try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const added = await client.callTool({ name: "add_task", arguments: { title, description: "added by ts-client.mjs" } });
  const listed = await client.callTool({ name: "list_tasks", arguments: { status: "pending" } });
  console.log(JSON.stringify({
    server: client.getServerVersion(),
    tools: tools.map((tool) => ({ name: tool.name, input_schema: tool.inputSchema, output_schema: tool.outputSchema })),
    add_task: added,
    list_tasks: listed,
  }));
} finally {
  await client.close();
}
