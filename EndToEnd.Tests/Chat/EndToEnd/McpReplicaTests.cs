using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// The backend reaches the MCP server through a service-discovery HTTP client, as every client of the app does: each
/// request goes to one of the addresses listed for <c>mcpserver</c> in turn, not always to the first (the stateless
/// server lets any replica answer any request of a turn).
/// </summary>
[Collection(DisruptedChatServices.Name)]
public sealed class McpReplicaTests(ChatServicesFixture fixture)
{
    /// <summary>Logs one line per request, with its method and URL, at the default console format.</summary>
    private static readonly Dictionary<string, string?> RequestLogging = new()
    {
        ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
    };

    private readonly ChatServices _services = fixture.Services;

    [Fact]
    public async Task Chat_turns_reach_every_address_service_discovery_lists_for_the_mcp_server()
    {
        await using var first = await _services.StartExtraMcpServerAsync(RequestLogging);
        await using var second = await _services.StartExtraMcpServerAsync(RequestLogging);
        await using var backend = await _services.StartExtraBackendAsync(new Dictionary<string, string?>
        {
            ["services__mcpserver__http__0"] = first.BaseAddress.GetLeftPart(UriPartial.Authority),
            ["services__mcpserver__http__1"] = second.BaseAddress.GetLeftPart(UriPartial.Authority),
        });
        using var user = await TestUser.CreateAsync(backend.BaseAddress);

        for (var n = 1; n <= 3; n++)
        {
            Assert.Equal(["add_task"], (await user.ChatAsync($"Add a task to buy item {n}")).ToolNames());
        }

        Assert.Equal(3, (await user.GetTasksAsync()).Count);
        // The console logger writes from a queue of its own: give the last lines a moment to arrive.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((McpRequests(first) == 0 || McpRequests(second) == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(McpRequests(first) > 0 && McpRequests(second) > 0,
            $"MCP requests per listed address: {McpRequests(first)} and {McpRequests(second)}.");
    }

    private static int McpRequests(ServiceProcess server) =>
        server.Output.Split('\n').Count(line => line.Contains("Request starting", StringComparison.Ordinal)
            && line.Contains("/mcp", StringComparison.Ordinal));
}
