using System.Diagnostics;
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
    private static readonly string InteropDirectory = Path.Combine(ServiceProcess.RepositoryRoot, "McpServer", "interop");

    [Fact]
    public async Task The_typescript_sdk_client_lists_the_tools_adds_a_task_and_lists_it()
    {
        await EnsurePackagesInstalledAsync();
        var userId = await fixture.CreateUserAsync();

        var output = await RunAsync("node", ["ts-client.mjs"], new Dictionary<string, string>
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

    /// <summary>Installs the locked packages (npm ci) the first time; later runs reuse node_modules.</summary>
    private static async Task EnsurePackagesInstalledAsync()
    {
        if (!Directory.Exists(Path.Combine(InteropDirectory, "node_modules", "@modelcontextprotocol", "sdk")))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], new Dictionary<string, string>(), TimeSpan.FromMinutes(3));
        }
    }

    private static async Task<string> RunAsync(
        string program, string[] arguments, Dictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} timed out: {await error}");
        }

        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }
}
