using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;

namespace Phase4.Tests.Mcp;

/// <summary>Every tool's happy path and result shape, with the official C# client over real Streamable HTTP.</summary>
[Collection(McpServerGroup.Name)]
public sealed class McpToolTests(McpServerFixture fixture)
{
    [Fact]
    public async Task Listing_tools_shows_the_five_task_tools_with_snake_case_schemas_a_model_can_use()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var tools = (await client.ListToolsAsync()).ToDictionary(t => t.Name);

        Assert.Equal(["add_task", "complete_task", "delete_task", "list_tasks", "update_task"], tools.Keys.Order());
        Assert.All(tools.Values, tool =>
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            var properties = tool.JsonSchema.GetProperty("properties");
            Assert.Contains("signed-in user", properties.GetProperty("user_id").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("user_id", Required(tool.JsonSchema));
            Assert.True(tool.ProtocolTool.OutputSchema.HasValue, tool.Name + " has no output schema");
        });

        var add = tools["add_task"].JsonSchema;
        Assert.Equal(["title"], Required(add));
        var title = add.GetProperty("properties").GetProperty("title");
        Assert.Equal(1, title.GetProperty("minLength").GetInt32());
        Assert.Equal(200, title.GetProperty("maxLength").GetInt32());
        Assert.Equal(1000, add.GetProperty("properties").GetProperty("description").GetProperty("maxLength").GetInt32());

        var status = tools["list_tasks"].JsonSchema.GetProperty("properties").GetProperty("status");
        Assert.Equal(["all", "pending", "completed"], status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
        Assert.Empty(Required(tools["list_tasks"].JsonSchema));

        foreach (var name in new[] { "complete_task", "delete_task", "update_task" })
        {
            Assert.Equal(["task_id"], Required(tools[name].JsonSchema));
            Assert.Equal("integer", tools[name].JsonSchema.GetProperty("properties").GetProperty("task_id").GetProperty("type").GetString());
        }

        var actionOutput = tools["add_task"].ProtocolTool.OutputSchema!.Value.GetProperty("properties");
        Assert.Equal(["status", "task_id", "title"], actionOutput.EnumerateObject().Select(p => p.Name).Order());
        var listItem = tools["list_tasks"].ProtocolTool.OutputSchema!.Value.GetProperty("properties").GetProperty("tasks").GetProperty("items");
        Assert.Equal(["completed", "created_at", "description", "id", "title"], listItem.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order());
        Assert.True(tools["list_tasks"].ProtocolTool.Annotations?.ReadOnlyHint);
        Assert.True(tools["delete_task"].ProtocolTool.Annotations?.DestructiveHint);
    }

    [Fact]
    public async Task Add_task_creates_a_task_for_the_token_user_and_returns_task_id_status_and_title()
    {
        var userId = await fixture.CreateUserAsync();
        await using var client = await fixture.ConnectAsync(userId);

        var result = await client.CallAsync("add_task", new { title = "  Buy groceries  ", description = "milk, eggs" });

        var json = result.Json();
        var taskId = json.GetProperty("task_id").GetInt32();
        Assert.Equal("created", json.GetProperty("status").GetString());
        Assert.Equal("Buy groceries", json.GetProperty("title").GetString());
        Assert.Equal(3, json.EnumerateObject().Count());
        Assert.True(JsonElement.DeepEquals(json, result.StructuredContent!.Value));

        await using var db = fixture.CreateDbContext();
        var stored = await db.Tasks.SingleAsync(t => t.Id == taskId);
        Assert.Equal((userId, "Buy groceries", "milk, eggs", false), (stored.UserId, stored.Title, stored.Description, stored.Completed));
    }

    [Fact]
    public async Task List_tasks_returns_an_array_as_text_for_older_clients_and_an_object_as_structured_content_filtered_by_status()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var first = (await client.CallAsync("add_task", new { title = "Pay bills" })).Json().GetProperty("task_id").GetInt32();
        var second = (await client.CallAsync("add_task", new { title = "Call mom", description = "Sunday" })).Json().GetProperty("task_id").GetInt32();
        (await client.CallAsync("complete_task", new { task_id = first })).Json();

        var all = await client.CallAsync("list_tasks");
        var items = all.Json();
        Assert.Equal(JsonValueKind.Array, items.ValueKind);
        Assert.Equal([second, first], items.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        var call = items[0];
        Assert.Equal(["completed", "created_at", "description", "id", "title"], call.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(("Call mom", "Sunday", false), (call.GetProperty("title").GetString(), call.GetProperty("description").GetString(), call.GetProperty("completed").GetBoolean()));
        Assert.True(DateTimeOffset.UtcNow - call.GetProperty("created_at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("description").ValueKind);
        Assert.True(JsonElement.DeepEquals(items, all.StructuredContent!.Value.GetProperty("tasks")));

        var pending = (await client.CallAsync("list_tasks", new { status = "pending" })).Json();
        Assert.Equal([second], pending.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        var completed = (await client.CallAsync("list_tasks", new { status = "completed" })).Json();
        Assert.Equal([first], completed.EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task List_tasks_of_a_user_without_tasks_is_an_empty_array()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());

        var result = await client.CallAsync("list_tasks", new { status = "all" });

        Assert.Equal("[]", result.Json().GetRawText());
        Assert.Equal("""{"tasks":[]}""", result.StructuredContent!.Value.GetRawText());
    }

    [Fact]
    public async Task Complete_task_marks_the_task_done_and_is_idempotent()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var taskId = (await client.CallAsync("add_task", new { title = "Water plants" })).Json().GetProperty("task_id").GetInt32();

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var json = (await client.CallAsync("complete_task", new { task_id = taskId })).Json();
            Assert.Equal((taskId, "completed", "Water plants"),
                (json.GetProperty("task_id").GetInt32(), json.GetProperty("status").GetString(), json.GetProperty("title").GetString()));
        }

        await using var db = fixture.CreateDbContext();
        Assert.True((await db.Tasks.SingleAsync(t => t.Id == taskId)).Completed);
    }

    [Fact]
    public async Task Delete_task_removes_the_task_and_returns_its_title()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var taskId = (await client.CallAsync("add_task", new { title = "Team meeting" })).Json().GetProperty("task_id").GetInt32();

        var json = (await client.CallAsync("delete_task", new { task_id = taskId })).Json();

        Assert.Equal((taskId, "deleted", "Team meeting"),
            (json.GetProperty("task_id").GetInt32(), json.GetProperty("status").GetString(), json.GetProperty("title").GetString()));
        await using var db = fixture.CreateDbContext();
        Assert.False(await db.Tasks.AnyAsync(t => t.Id == taskId));
        Assert.Contains("not found", (await client.CallAsync("delete_task", new { task_id = taskId })).Error(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_task_changes_the_title_or_the_description_and_keeps_what_is_left_out()
    {
        await using var client = await fixture.ConnectAsync(await fixture.CreateUserAsync());
        var taskId = (await client.CallAsync("add_task", new { title = "Call mom", description = "about the weekend" })).Json().GetProperty("task_id").GetInt32();

        var renamed = (await client.CallAsync("update_task", new { task_id = taskId, title = "Call mom tonight" })).Json();
        Assert.Equal((taskId, "updated", "Call mom tonight"),
            (renamed.GetProperty("task_id").GetInt32(), renamed.GetProperty("status").GetString(), renamed.GetProperty("title").GetString()));
        await using (var db = fixture.CreateDbContext())
        {
            var stored = await db.Tasks.SingleAsync(t => t.Id == taskId);
            Assert.Equal(("Call mom tonight", "about the weekend"), (stored.Title, stored.Description));
        }

        var described = (await client.CallAsync("update_task", new { task_id = taskId, description = "before 8pm" })).Json();
        Assert.Equal("Call mom tonight", described.GetProperty("title").GetString());
        await using (var db = fixture.CreateDbContext())
        {
            Assert.Equal("before 8pm", (await db.Tasks.SingleAsync(t => t.Id == taskId)).Description);
        }

        (await client.CallAsync("update_task", new { task_id = taskId, description = "" })).Json();
        await using (var db = fixture.CreateDbContext())
        {
            Assert.Null((await db.Tasks.SingleAsync(t => t.Id == taskId)).Description);
        }
    }

    [Fact]
    public async Task A_user_id_equal_to_the_token_user_is_accepted_for_older_clients()
    {
        var userId = await fixture.CreateUserAsync();
        await using var client = await fixture.ConnectAsync(userId);

        var added = (await client.CallAsync("add_task", new { title = "Compatible", user_id = userId.ToString("D").ToUpperInvariant() })).Json();
        var listed = (await client.CallAsync("list_tasks", new { user_id = userId.ToString("D") })).Json();

        Assert.Equal(added.GetProperty("task_id").GetInt32(), Assert.Single(listed.EnumerateArray()).GetProperty("id").GetInt32());
    }

    private static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];
}
