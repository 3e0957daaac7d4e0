using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// Every request the builtin assistant understands, with rephrasings, through <c>POST /api/{user_id}/chat</c>: the
/// tool calls reach the real MCP server and the changes show up in the REST API.
/// </summary>
[Collection(SharedChatServices.Name)]
public sealed class BuiltinRequestsEndToEndTests(ChatServicesFixture fixture)
{
    private readonly ChatServices _services = fixture.Services;

    [Theory]
    [InlineData("Add a task to buy groceries", "Buy groceries")]
    [InlineData("add a task to buy groceries", "Buy groceries")]
    [InlineData("Can you please add 'Buy groceries' to my list?", "Buy groceries")]
    [InlineData("I need to remember to pay bills", "Pay bills")]
    [InlineData("remind me to pay bills", "Pay bills")]
    [InlineData("todo: pay bills", "Pay bills")]
    public async Task Adding_creates_the_task_through_add_task(string message, string title)
    {
        using var user = await _services.CreateUserAsync();

        var reply = await user.ChatAsync(message);

        Assert.Equal(["add_task"], reply.ToolNames());
        var call = reply["tool_calls"]![0]!;
        Assert.Equal(title, (string)call["arguments"]!["title"]!);
        var result = Assert.IsType<JsonObject>(call["result"]);
        Assert.Equal("created", (string)result["status"]!);
        var taskId = (int)result["task_id"]!;

        var task = Assert.Single(await user.GetTasksAsync());
        Assert.Equal(title, (string)task!["title"]!);
        Assert.Equal(taskId, (int)task["id"]!);
        Assert.Equal($"Got it! I've added \"{title}\" to your tasks as task {taskId}.", (string)reply["response"]!);
    }

    [Theory]
    [InlineData("Show me all my tasks", "all", new[] { "Buy groceries", "Pay bills" })]
    [InlineData("list my tasks please", "all", new[] { "Buy groceries", "Pay bills" })]
    [InlineData("What's pending?", "pending", new[] { "Buy groceries" })]
    [InlineData("what do I still have to do", "pending", new[] { "Buy groceries" })]
    [InlineData("What have I completed?", "completed", new[] { "Pay bills" })]
    [InlineData("show my finished tasks", "completed", new[] { "Pay bills" })]
    public async Task Listing_calls_list_tasks_with_the_status_and_shows_the_tasks(string message, string status, string[] shown)
    {
        using var user = await _services.CreateUserAsync();
        await user.CreateTaskAsync("Buy groceries");
        var (bills, _) = await user.CreateTaskAsync("Pay bills");
        await CompleteAsync(user, (int)bills["id"]!);

        var reply = await user.ChatAsync(message);

        Assert.Equal(["list_tasks"], reply.ToolNames());
        var call = reply["tool_calls"]![0]!;
        Assert.Equal(status, (string)call["arguments"]!["status"]!);
        var listed = Assert.IsType<JsonArray>(call["result"]);
        Assert.Equal(shown.Order(), listed.Select(t => (string)t!["title"]!).Order());
        var response = (string)reply["response"]!;
        Assert.All(shown, title => Assert.Contains(title, response, StringComparison.Ordinal));
        Assert.Contains("1. ", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mark task {groceries} as complete", new[] { "complete_task" })]
    [InlineData("I finished task {groceries}", new[] { "complete_task" })]
    [InlineData("complete task #{groceries} please", new[] { "complete_task" })]
    [InlineData("done with buying groceries", new[] { "list_tasks", "complete_task" })]
    [InlineData("mark the groceries task as done", new[] { "list_tasks", "complete_task" })]
    public async Task Completing_by_id_or_title_marks_the_task_done(string message, string[] tools)
    {
        using var user = await _services.CreateUserAsync();
        var ids = await SeedAsync(user, "Buy groceries", "Team meeting");

        var reply = await user.ChatAsync(Fill(message, ids));

        Assert.Equal(tools, reply.ToolNames());
        var tasks = await user.GetTasksAsync();
        Assert.True((bool)tasks.Single(t => (int)t!["id"]! == ids["groceries"])!["completed"]!);
        Assert.False((bool)tasks.Single(t => (int)t!["id"]! == ids["meeting"])!["completed"]!);
        Assert.Equal($"Nice work! I've marked task {ids["groceries"]}, \"Buy groceries\", as complete.", (string)reply["response"]!);
    }

    [Theory]
    [InlineData("Delete the meeting task", new[] { "list_tasks", "delete_task" })]
    [InlineData("please get rid of the team meeting", new[] { "list_tasks", "delete_task" })]
    [InlineData("remove task {meeting}", new[] { "delete_task" })]
    [InlineData("Delete task #{meeting}", new[] { "delete_task" })]
    public async Task Deleting_by_id_or_title_removes_the_task(string message, string[] tools)
    {
        using var user = await _services.CreateUserAsync();
        var ids = await SeedAsync(user, "Buy groceries", "Team meeting");

        var reply = await user.ChatAsync(Fill(message, ids));

        Assert.Equal(tools, reply.ToolNames());
        Assert.Equal(["Buy groceries"], (await user.GetTasksAsync()).Select(t => (string)t!["title"]!));
        Assert.Equal($"Done. I've deleted task {ids["meeting"]}, \"Team meeting\".", (string)reply["response"]!);
    }

    [Theory]
    [InlineData("Change task {groceries} to 'Call mom tonight'")]
    [InlineData("rename task {groceries} to Call mom tonight")]
    [InlineData("rename the groceries task to \"Call mom tonight\"")]
    public async Task Renaming_changes_the_title_through_update_task(string message)
    {
        using var user = await _services.CreateUserAsync();
        var ids = await SeedAsync(user, "Buy groceries", "Team meeting");

        var reply = await user.ChatAsync(Fill(message, ids));

        Assert.Equal("update_task", reply.ToolNames().Last());
        var task = (await user.GetTasksAsync()).Single(t => (int)t!["id"]! == ids["groceries"])!;
        Assert.Equal("Call mom tonight", (string)task["title"]!);
        Assert.Equal($"Done. Task {ids["groceries"]} is now called \"Call mom tonight\".", (string)reply["response"]!);
    }

    [Fact]
    public async Task Updating_a_description_keeps_the_title()
    {
        using var user = await _services.CreateUserAsync();
        var ids = await SeedAsync(user, "Buy groceries", "Team meeting");

        var reply = await user.ChatAsync("update the groceries task description to milk, eggs and bread");

        Assert.Equal(["list_tasks", "update_task"], reply.ToolNames());
        var task = (await user.GetTasksAsync()).Single(t => (int)t!["id"]! == ids["groceries"])!;
        Assert.Equal("Buy groceries", (string)task["title"]!);
        Assert.Equal("milk, eggs and bread", (string)task["description"]!);
    }

    [Fact]
    public async Task Several_matches_make_the_assistant_ask_and_the_answer_in_the_same_conversation_acts()
    {
        using var user = await _services.CreateUserAsync();
        var ids = await SeedAsync(user, "Team meeting", "Meeting notes");

        var question = await user.ChatAsync("Delete the meeting task");
        Assert.Equal(["list_tasks"], question.ToolNames());
        Assert.Contains("Which one should I delete?", (string)question["response"]!, StringComparison.Ordinal);
        Assert.Equal(2, (await user.GetTasksAsync()).Count);

        var answer = await user.ChatAsync($"task {ids["notes"]}", (int)question["conversation_id"]!);

        Assert.Equal(["delete_task"], answer.ToolNames());
        Assert.Equal(["Team meeting"], (await user.GetTasksAsync()).Select(t => (string)t!["title"]!));
    }

    [Theory]
    [InlineData("delete task 2147483000")]
    [InlineData("Mark task 2147483000 as complete")]
    [InlineData("change task 2147483000 to 'x'")]
    public async Task An_unknown_task_id_is_said_plainly_to_be_not_found(string message)
    {
        using var user = await _services.CreateUserAsync();

        var reply = await user.ChatAsync(message);

        Assert.StartsWith("I couldn't find task 2147483000", (string)reply["response"]!, StringComparison.Ordinal);
        var result = Assert.IsType<JsonObject>(reply["tool_calls"]![0]!["result"]);
        Assert.Contains("not found", (string)result["error"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("help")]
    [InlineData("What's the weather tomorrow?")]
    public async Task Greetings_help_and_unknown_requests_answer_with_the_capabilities_and_call_no_tool(string message)
    {
        using var user = await _services.CreateUserAsync();

        var reply = await user.ChatAsync(message);

        Assert.Empty(reply["tool_calls"]!.AsArray());
        Assert.Contains("Here's what I can do", (string)reply["response"]!, StringComparison.Ordinal);
    }

    private static async Task CompleteAsync(TestUser user, int taskId)
    {
        using var response = await user.Client.PatchAsJsonAsync($"{user.Tasks}/{taskId}/complete", new { completed = true });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Creates the tasks, keyed by the last word of each title in lowercase ("groceries", "meeting").</summary>
    private static async Task<Dictionary<string, int>> SeedAsync(TestUser user, params string[] titles)
    {
        var ids = new Dictionary<string, int>();
        foreach (var title in titles)
        {
            var (task, _) = await user.CreateTaskAsync(title);
            ids[title.Split(' ')[^1].ToLowerInvariant()] = (int)task["id"]!;
        }

        return ids;
    }

    private static string Fill(string message, Dictionary<string, int> ids) =>
        ids.Aggregate(message, (text, id) => text.Replace("{" + id.Key + "}", id.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
