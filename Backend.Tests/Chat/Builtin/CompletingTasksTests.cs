namespace Phase4.Tests.Chat.Builtin;

public sealed class CompletingTasksTests
{
    private static BuiltinConversation WithThreeTasks()
    {
        var chat = new BuiltinConversation();
        chat.Server.Seed("Pay bills");
        chat.Server.Seed("Call mom");
        chat.Server.Seed("Buy groceries");
        return chat;
    }

    [Theory]
    [InlineData("Mark task 3 as complete")]
    [InlineData("mark task 3 as done")]
    [InlineData("Mark task #3 completed.")]
    [InlineData("please mark 3 as done")]
    [InlineData("complete task 3")]
    [InlineData("Complete task three")]
    [InlineData("finish task 3")]
    [InlineData("I finished task 3")]
    [InlineData("i've completed task 3!")]
    [InlineData("I just did task 3")]
    [InlineData("Task 3 is done")]
    [InlineData("task 3 is complete now")]
    [InlineData("check off task 3")]
    [InlineData("tick task 3 off")]
    [InlineData("done with task 3")]
    [InlineData("Can you mark task number 3 as finished?")]
    [InlineData("I'd like to mark task 3 as done")]
    [InlineData("Task 3 done")]
    [InlineData("set task 3 to done")]
    public async Task Completing_by_id_calls_complete_task_directly(string message)
    {
        using var chat = WithThreeTasks();

        var answer = await chat.SayAsync(message);

        Assert.Equal(["complete_task"], chat.CalledTools);
        Assert.Equal(3, chat.Server.Calls[0].Arguments["task_id"]?.GetValue<int>());
        Assert.True(chat.Server.Get(3)!.Completed);
        Assert.Equal("Nice work! I've marked task 3, \"Buy groceries\", as complete.", answer);
    }

    [Theory]
    [InlineData("done with buying groceries")]
    [InlineData("I'm done with buying groceries")]
    [InlineData("I finished buying groceries")]
    [InlineData("mark the groceries task as done")]
    [InlineData("Mark \"Buy groceries\" as complete")]
    [InlineData("mark buy groceries as complete")]
    [InlineData("complete the grocery task")]
    [InlineData("the groceries task is done")]
    [InlineData("check off groceries")]
    public async Task Completing_by_title_lists_then_completes_the_one_match(string message)
    {
        using var chat = WithThreeTasks();

        var answer = await chat.SayAsync(message);

        Assert.Equal(["list_tasks", "complete_task"], chat.CalledTools);
        Assert.True(chat.Server.Get(3)!.Completed);
        Assert.False(chat.Server.Get(1)!.Completed);
        Assert.Contains("task 3, \"Buy groceries\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_an_unknown_id_says_the_task_was_not_found()
    {
        using var chat = WithThreeTasks();

        var answer = await chat.SayAsync("Mark task 42 as complete");

        Assert.Equal(["complete_task"], chat.CalledTools);
        Assert.StartsWith("I couldn't find task 42", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completing_an_unknown_title_says_so_and_changes_nothing()
    {
        using var chat = WithThreeTasks();

        var answer = await chat.SayAsync("I finished the tax return");

        Assert.Equal(["list_tasks"], chat.CalledTools);
        Assert.All(chat.Server.Tasks, t => Assert.False(t.Completed));
        Assert.StartsWith("I couldn't find a task matching \"tax return\"", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_task_already_done_is_reported_without_calling_complete_again()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries", completed: true);

        var answer = await chat.SayAsync("mark buy groceries as done");

        Assert.Equal(["list_tasks"], chat.CalledTools);
        Assert.Equal("Task 1, \"Buy groceries\", is already complete.", answer);
    }

    [Fact]
    public async Task Among_several_matches_the_only_pending_one_is_completed()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Weekly report", completed: true);
        chat.Server.Seed("Monthly report");

        await chat.SayAsync("I finished the report");

        Assert.True(chat.Server.Get(2)!.Completed);
    }

    [Theory]
    [InlineData("mark task 2 as not done")]
    [InlineData("reopen task 2")]
    [InlineData("mark task 2 as incomplete")]
    public async Task Reopening_is_explained_as_not_possible(string message)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Pay bills", completed: true);
        chat.Server.Seed("Call mom", completed: true);

        var answer = await chat.SayAsync(message);

        Assert.Empty(chat.CalledTools);
        Assert.StartsWith("I can't mark a task as not done", answer, StringComparison.Ordinal);
    }
}
