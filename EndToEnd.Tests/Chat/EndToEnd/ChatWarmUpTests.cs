using Npgsql;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// A starting backend takes a chat turn of its own through the MCP server before it reports ready (ChatWarmUp), as a
/// warm-up token's subject that no account has: the first user's turn finds the handshake made and the code run, and
/// the database holds nothing more. Without a ready MCP server the backend still starts, leaving the turn out.
/// </summary>
[Collection(DisruptedChatServices.Name)]
public sealed class ChatWarmUpTests(ChatServicesFixture fixture)
{
    private static readonly string[] Tables = ["users", "tasks", "conversations", "messages"];

    private readonly ChatServices _services = fixture.Services;

    [Fact]
    public async Task A_backend_starting_beside_a_ready_mcp_server_takes_a_warm_up_turn_through_it_and_stores_nothing()
    {
        using var user = await _services.CreateUserAsync();
        await user.CreateTaskAsync("Water the plants");
        var before = await CountRowsAsync();

        await _services.RestartBackendAsync();

        Assert.Contains("Warm-up ChatWarmUp took", _services.Backend.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish", _services.Backend.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("The MCP server is not ready", _services.Backend.Output, StringComparison.Ordinal);
        Assert.Equal(before, await CountRowsAsync());
        var answer = await user.ChatAsync("What is pending?");
        Assert.Equal(["list_tasks"], answer.ToolNames());
        // The user's turn resumed the warm-up's handshake, with the tool definitions it listed.
        Assert.DoesNotContain("not found in cache", _services.Backend.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_backend_starting_while_the_mcp_server_is_down_still_becomes_ready_and_leaves_the_turn_out()
    {
        await _services.StopMcpServerAsync();
        try
        {
            await _services.RestartBackendAsync();

            Assert.Contains("The MCP server is not ready: the chat warm-up leaves out the tool calls", _services.Backend.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("did not finish", _services.Backend.Output, StringComparison.Ordinal);
        }
        finally
        {
            await _services.StartMcpServerAsync();
        }
    }

    private async Task<long[]> CountRowsAsync()
    {
        await using var connection = new NpgsqlConnection(_services.ConnectionString);
        await connection.OpenAsync();
        var counts = new List<long>();
        foreach (var table in Tables)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts.Add((long)(await count.ExecuteScalarAsync())!);
        }

        return [.. counts];
    }
}
