using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Hostile.Edges;

/// <summary>
/// One account cannot fill the database or spend the model's credit without bound: tasks (REST and MCP alike, one
/// domain rule; a burst may pass it by the creates in flight), conversations and chat turns per hour stop at their
/// quota with 429 ProblemDetails.
/// </summary>
[Collection(EdgeServices.Name)]
public sealed class QuotaTests(EdgeFixture fixture)
{
    /// <summary>
    /// The quota is read without a lock (Domain/Tasks/TaskInsert.cs), so a burst of concurrent creates may pass it by
    /// the creates in flight at once, never more (the per-account concurrency limit caps those); once past it, every
    /// create is refused, over REST and MCP alike, and each acknowledged create is stored.
    /// </summary>
    [Fact]
    public async Task A_burst_of_concurrent_creates_passes_the_task_quota_by_at_most_the_creates_in_flight_then_creates_are_refused_with_429()
    {
        using var user = await fixture.CreateUserAsync();
        // 3 x the quota at once: all in flight together, well inside the per-account concurrency limit (64).
        var burst = 3 * EdgeFixture.TaskQuota;
        var creates = Enumerable.Range(0, burst)
            .Select(n => user.Client.PostAsJsonAsync(user.Tasks, new { title = $"task {n}" }))
            .ToList();
        var responses = await Task.WhenAll(creates);
        var created = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.InRange(created, EdgeFixture.TaskQuota, EdgeFixture.TaskQuota + burst - 1);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(created, await CountTasksAsync(user.Id));

        using (var refused = await user.Client.PostAsJsonAsync(user.Tasks, new { title = "one too many" }))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("Quota exceeded", (string?)problem["title"]);
            Assert.Contains($"{EdgeFixture.TaskQuota} tasks", (string?)problem["detail"], StringComparison.Ordinal);
        }

        var mcpToken = await McpTokenAsync(user);
        using var client = new HttpClient { BaseAddress = fixture.Mcp.BaseAddress };
        using (var viaMcp = await client.SendAsync(McpRequest.ToolsCall(mcpToken,
            """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add_task","arguments":{"title":"one too many"}}}""")))
        {
            var text = await viaMcp.Content.ReadAsStringAsync();
            Assert.Contains("\"isError\":true", text, StringComparison.Ordinal);
            Assert.Contains($"{EdgeFixture.TaskQuota} tasks", text, StringComparison.Ordinal);
        }

        Assert.Equal(created, await CountTasksAsync(user.Id));

        // Deleting down to one below the quota makes room again.
        var tasks = (await (await user.Client.GetAsync(user.Tasks)).ReadJsonAsync()).AsArray();
        foreach (var task in tasks.Take(created - EdgeFixture.TaskQuota + 1))
        {
            using var deleted = await user.Client.DeleteAsync($"{user.Tasks}/{(int)task!["id"]!}");
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var again = await user.Client.PostAsJsonAsync(user.Tasks, new { title = "room again" });
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
    }

    [Fact]
    public async Task Conversations_and_chat_turns_per_hour_stop_at_their_quotas_with_429()
    {
        using var user = await fixture.CreateUserAsync();
        var chat = $"/api/{user.Id:D}/chat";
        int? conversation = null;
        for (var n = 0; n < EdgeFixture.ConversationQuota; n++)
        {
            using var started = await user.Client.PostAsJsonAsync(chat, new { message = "What's pending?" });
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            conversation ??= (int)(await started.ReadJsonAsync())["conversation_id"]!;
        }

        using (var oneConversationTooMany = await user.Client.PostAsJsonAsync(chat, new { message = "What's pending?" }))
        {
            var problem = await oneConversationTooMany.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Contains("conversations", (string?)problem["detail"], StringComparison.Ordinal);
        }

        for (var n = EdgeFixture.ConversationQuota; n < EdgeFixture.ChatTurnsPerHour; n++)
        {
            using var turn = await user.Client.PostAsJsonAsync(chat, new { conversation_id = conversation, message = "What's pending?" });
            Assert.Equal(HttpStatusCode.OK, turn.StatusCode);
        }

        using var oneTurnTooMany = await user.Client.PostAsJsonAsync(chat, new { conversation_id = conversation, message = "What's pending?" });
        var turnProblem = await oneTurnTooMany.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("in the last hour", (string?)turnProblem["detail"], StringComparison.Ordinal);
        Assert.InRange(oneTurnTooMany.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
    }

    private async Task<long> CountTasksAsync(Guid userId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM tasks WHERE user_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> McpTokenAsync(TestUser user)
    {
        using var response = await user.Client.PostAsync("/api/auth/mcp-token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.ReadJsonAsync())["access_token"]!;
    }
}
