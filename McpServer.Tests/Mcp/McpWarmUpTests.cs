using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace Phase4.Tests.Mcp;

/// <summary>
/// The backend's start-up warm-up token (the <c>warm_up</c> claim, a new id no account has) and this server's own
/// warm-up before it reports ready: neither reads nor changes anything of any account.
/// </summary>
[Collection(McpServerGroup.Name)]
public sealed class McpWarmUpTests(McpServerFixture fixture)
{
    [Fact]
    public async Task A_warm_up_token_for_an_id_no_account_has_may_list_tasks_and_finds_none()
    {
        await using var client = await fixture.ConnectAsync(fixture.Tokens.WarmUp(Guid.NewGuid()));

        var listed = await client.CallAsync("list_tasks", new { status = "all" });

        Assert.Empty(listed.Json().EnumerateArray());
    }

    [Theory]
    [InlineData("add_task", """{"title":"written by a warm-up"}""")]
    [InlineData("complete_task", """{"task_id":1}""")]
    [InlineData("update_task", """{"task_id":1,"title":"renamed by a warm-up"}""")]
    [InlineData("delete_task", """{"task_id":1}""")]
    public async Task A_warm_up_token_may_call_no_tool_that_changes_data(string tool, string arguments)
    {
        var warmUpId = Guid.NewGuid();
        await using var client = await fixture.ConnectAsync(fixture.Tokens.WarmUp(warmUpId));

        var refused = await client.CallAsync(tool, JsonDocument.Parse(arguments).RootElement);

        Assert.Equal("A warm-up token may call read-only tools only.", refused.Error());
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.UserId == warmUpId || t.Title.Contains("warm-up")));
    }

    [Fact]
    public async Task A_warm_up_token_whose_id_an_account_has_is_refused()
    {
        var account = await fixture.CreateUserAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await InitializeAsync(fixture.Tokens.WarmUp(account)));
    }

    [Fact]
    public async Task An_ordinary_token_for_an_id_no_account_has_is_still_refused()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await InitializeAsync(fixture.Tokens.For(Guid.NewGuid())));
    }

    [Fact]
    public async Task The_server_runs_its_tool_path_once_before_it_reports_ready_and_stores_nothing()
    {
        await fixture.Server.WaitUntilHealthyAsync();

        Assert.Contains("Warm-up ToolWarmUp took", fixture.Server.Output, StringComparison.Ordinal);
        Assert.Contains("Warm-up TaskWarmUp took", fixture.Server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish", fixture.Server.Output, StringComparison.Ordinal);
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.Title == "warm-up"));
    }

    private async Task<HttpStatusCode> InitializeAsync(string token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var response = await fixture.PostAsync(http, McpServerFixture.InitializeRequest, token);
        return response.StatusCode;
    }
}
