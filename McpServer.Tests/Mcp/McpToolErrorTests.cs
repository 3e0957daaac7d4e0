using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;

namespace Phase4.Tests.Mcp;

/// <summary>Every refused call is an MCP tool error (isError with a clear message) and changes nothing.</summary>
[Collection(McpServerGroup.Name)]
public sealed class McpToolErrorTests(McpServerFixture fixture)
{
    public static TheoryData<string> TaskIdTools => new() { "complete_task", "delete_task", "update_task" };

    [Theory]
    [MemberData(nameof(TaskIdTools))]
    public async Task An_unknown_task_id_is_a_tool_error_saying_not_found(string tool)
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var error = (await client.CallAsync(tool, TaskIdArguments(tool, int.MaxValue))).Error();

        Assert.Contains($"Task {int.MaxValue} was not found", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TaskIdTools))]
    public async Task Another_users_task_id_is_not_found_and_the_task_is_unchanged(string tool)
    {
        var (otherTaskId, snapshot) = await CreateOtherUsersTaskAsync();
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var error = (await client.CallAsync(tool, TaskIdArguments(tool, otherTaskId))).Error();

        Assert.Contains("not found", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret plan", error, StringComparison.Ordinal);
        Assert.Equal(snapshot, await ReadTaskAsync(otherTaskId));
    }

    [Fact]
    public async Task A_user_id_naming_someone_else_is_refused_by_every_tool_and_changes_nothing()
    {
        var (otherTaskId, snapshot) = await CreateOtherUsersTaskAsync();
        var otherUser = (await ReadOwnerAsync(otherTaskId)).ToString("D");
        var userId = await fixture.CreateUserAsync();
        await using var client = await fixture.ConnectAsync(userId);
        var ownTaskId = (await client.CallAsync("add_task", new { title = "Mine" })).Json().GetProperty("task_id").GetInt32();

        var calls = new (string Tool, object Arguments)[]
        {
            ("add_task", new { title = "Planted", user_id = otherUser }),
            ("list_tasks", new { user_id = otherUser }),
            ("complete_task", new { task_id = otherTaskId, user_id = otherUser }),
            ("complete_task", new { task_id = ownTaskId, user_id = otherUser }),
            ("update_task", new { task_id = otherTaskId, title = "Hijacked", user_id = otherUser }),
            ("delete_task", new { task_id = otherTaskId, user_id = otherUser }),
            ("list_tasks", new { user_id = "not-a-guid" }),
        };
        foreach (var (tool, arguments) in calls)
        {
            var error = (await client.CallAsync(tool, arguments)).Error();
            Assert.Contains("user_id does not match the signed-in user", error, StringComparison.Ordinal);
        }

        Assert.Equal(snapshot, await ReadTaskAsync(otherTaskId));
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.Title == "Planted"));
        Assert.False((await db.Tasks.SingleAsync(t => t.Id == ownTaskId)).Completed);
    }

    public static TheoryData<string> InvalidTitles => new() { "", "   ", "line one\nline two", "bell\u0007", new string('x', 201) };

    [Theory]
    [MemberData(nameof(InvalidTitles))]
    public async Task Add_task_with_an_invalid_title_is_a_tool_error_naming_the_title(string title)
    {
        var userId = await fixture.CreateUserAsync();
        await using var client = await fixture.ConnectAsync(userId);

        var error = (await client.CallAsync("add_task", new { title })).Error();

        Assert.StartsWith("Invalid title:", error, StringComparison.Ordinal);
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.UserId == userId));
    }

    [Fact]
    public async Task Add_task_with_a_too_long_description_is_a_tool_error_naming_the_description()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var error = (await client.CallAsync("add_task", new { title = "Fine", description = new string('d', 1001) })).Error();

        Assert.StartsWith("Invalid description:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_task_with_a_blank_title_or_nothing_to_change_is_a_tool_error_and_keeps_the_task()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var taskId = (await client.CallAsync("add_task", new { title = "Keep me" })).Json().GetProperty("task_id").GetInt32();

        Assert.StartsWith("Invalid title:", (await client.CallAsync("update_task", new { task_id = taskId, title = " " })).Error(), StringComparison.Ordinal);
        Assert.Contains("Give a new title or description", (await client.CallAsync("update_task", new { task_id = taskId })).Error(), StringComparison.Ordinal);

        await using var db = fixture.CreateDbContext();
        Assert.Equal("Keep me", (await db.Tasks.SingleAsync(t => t.Id == taskId)).Title);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("ALL; DROP TABLE tasks")]
    public async Task List_tasks_with_an_invalid_status_is_a_tool_error_listing_the_valid_ones(string status)
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var error = (await client.CallAsync("list_tasks", new { status })).Error();

        Assert.Contains("Invalid status", error, StringComparison.Ordinal);
        Assert.Contains("all, pending, completed", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_mistyped_task_id_is_a_tool_error_not_a_protocol_error()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var missing = (await client.CallAsync("complete_task")).Error();
        var mistyped = (await client.CallAsync("delete_task", new { task_id = "three" })).Error();

        Assert.Contains("Invalid arguments for complete_task", missing, StringComparison.Ordinal);
        Assert.Contains("'task_id'", missing, StringComparison.Ordinal);
        Assert.Contains("Invalid arguments for delete_task", mistyped, StringComparison.Ordinal);
        Assert.Contains("task_id is an integer", mistyped, StringComparison.Ordinal);
    }

    /// <summary>update_task needs something to change, or it fails validation before looking the task up.</summary>
    private static object TaskIdArguments(string tool, int taskId) =>
        tool == "update_task" ? new { task_id = taskId, title = "Hijacked" } : new { task_id = taskId };

    private async Task<(int TaskId, (string, string?, bool) Snapshot)> CreateOtherUsersTaskAsync()
    {
        await using var other = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var taskId = (await other.CallAsync("add_task", new { title = "Secret plan", description = "private" })).Json().GetProperty("task_id").GetInt32();
        return (taskId, await ReadTaskAsync(taskId));
    }

    private async Task<(string, string?, bool)> ReadTaskAsync(int taskId)
    {
        await using var db = fixture.CreateDbContext();
        var task = await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId);
        return (task.Title, task.Description, task.Completed);
    }

    private async Task<Guid> ReadOwnerAsync(int taskId)
    {
        await using var db = fixture.CreateDbContext();
        return (await db.Tasks.AsNoTracking().SingleAsync(t => t.Id == taskId)).UserId;
    }
}
