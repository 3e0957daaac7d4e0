namespace Phase4.Tests.Chat.Builtin;

public sealed class ListingTasksTests
{
    [Theory]
    [InlineData("Show me all my tasks", "all")]
    [InlineData("show me all my tasks", "all")]
    [InlineData("Can you show my tasks?", "all")]
    [InlineData("list my tasks", "all")]
    [InlineData("List all tasks please", "all")]
    [InlineData("What's on my list?", "all")]
    [InlineData("what are my tasks", "all")]
    [InlineData("my tasks", "all")]
    [InlineData("tasks", "all")]
    [InlineData("show my todo list", "all")]
    [InlineData("How many tasks do I have?", "all")]
    [InlineData("I'd like to see my tasks", "all")]
    [InlineData("let me see everything", "all")]
    [InlineData("What's pending?", "pending")]
    [InlineData("whats pending", "pending")]
    [InlineData("What do I still need to do?", "pending")]
    [InlineData("what's left", "pending")]
    [InlineData("show pending tasks", "pending")]
    [InlineData("pending", "pending")]
    [InlineData("Which tasks are not done yet?", "pending")]
    [InlineData("anything outstanding?", "pending")]
    [InlineData("What have I completed?", "completed")]
    [InlineData("what did I finish", "completed")]
    [InlineData("Show me my completed tasks", "completed")]
    [InlineData("what's done?", "completed")]
    [InlineData("list finished tasks", "completed")]
    public async Task A_list_request_calls_list_tasks_with_the_status_asked_for(string message, string status)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Pay bills", completed: true);

        await chat.SayAsync(message);

        var call = Assert.Single(chat.Server.Calls);
        Assert.Equal("list_tasks", call.Name);
        Assert.Equal(status, call.Arguments["status"]?.GetValue<string>());
    }

    [Fact]
    public async Task The_list_is_numbered_with_ids_status_and_descriptions()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries", description: "milk, eggs");
        chat.Server.Seed("Pay bills", completed: true);
        chat.Server.Seed("Call mom");

        var answer = await chat.SayAsync("Show me all my tasks");

        Assert.Equal(
            "You have 3 tasks:\n" +
            "1. Buy groceries (task 1, pending) - milk, eggs\n" +
            "2. Pay bills (task 2, completed)\n" +
            "3. Call mom (task 3, pending)\n" +
            "2 pending, 1 completed.",
            answer);
    }

    [Fact]
    public async Task Pending_and_completed_lists_show_only_those_tasks()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Pay bills", completed: true);

        var pending = await chat.SayAsync("What's pending?");
        var completed = await chat.SayAsync("What have I completed?");

        Assert.Equal("You have 1 pending task:\n1. Buy groceries (task 1, pending)", pending);
        Assert.Equal("You have completed 1 task:\n1. Pay bills (task 2, completed)", completed);
    }

    [Theory]
    [InlineData("Show me all my tasks", "You don't have any tasks yet.")]
    [InlineData("What's pending?", "You have no pending tasks.")]
    [InlineData("What have I completed?", "You haven't completed any tasks yet.")]
    public async Task Empty_lists_are_said_plainly(string message, string expected)
    {
        using var chat = new BuiltinConversation();

        var answer = await chat.SayAsync(message);

        Assert.StartsWith(expected, answer, StringComparison.Ordinal);
    }
}
