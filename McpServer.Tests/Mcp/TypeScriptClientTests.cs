using System.Text.Json;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Mcp;

/// <summary>
/// Interoperability: the official TypeScript SDK client (McpServer/interop/ts-client.mjs, run with node) connects
/// over Streamable HTTP with a bearer token, lists the tools and calls add_task and list_tasks.
/// </summary>
[Collection(McpServerGroup.Name)]
public sealed class TypeScriptClientTests(McpServerFixture fixture)
{
    private static readonly NodePackage Interop = new(Path.Combine("McpServer", "interop"), Path.Combine("@modelcontextprotocol", "sdk"));

    [Fact]
    public async Task The_typescript_sdk_client_lists_the_tools_adds_a_task_and_lists_it()
    {
        await Interop.EnsureInstalledAsync();
        var userId = await fixture.CreateUserAsync();

        var output = await Interop.RunAsync("node", ["ts-client.mjs"], new Dictionary<string, string>
        {
            ["MCP_URL"] = fixture.Endpoint.ToString(),
            ["MCP_TOKEN"] = fixture.Tokens.For(userId),
            ["TASK_TITLE"] = "Added from TypeScript",
        });

        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal("phase4-tasks", result.GetProperty("server").GetProperty("name").GetString());
        var tools = result.GetProperty("tools").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(["add_task", "complete_task", "delete_task", "list_tasks", "update_task"], tools.Keys.Order());
        Assert.Equal("object", tools["list_tasks"].GetProperty("output_schema").GetProperty("type").GetString());

        var added = result.GetProperty("add_task");
        Assert.False(added.TryGetProperty("isError", out var addError) && addError.GetBoolean());
        var created = added.GetProperty("structuredContent");
        Assert.Equal("created", created.GetProperty("status").GetString());
        Assert.Equal("Added from TypeScript", created.GetProperty("title").GetString());

        var listed = result.GetProperty("list_tasks");
        var text = JsonDocument.Parse(listed.GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;
        var task = Assert.Single(text.EnumerateArray());
        Assert.Equal(created.GetProperty("task_id").GetInt32(), task.GetProperty("id").GetInt32());
        Assert.Equal("added by ts-client.mjs", task.GetProperty("description").GetString());
        Assert.True(JsonElement.DeepEquals(text, listed.GetProperty("structuredContent").GetProperty("tasks")));
    }
}
