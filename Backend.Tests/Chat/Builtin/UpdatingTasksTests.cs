namespace Phase4.Tests.Chat.Builtin;

public sealed class UpdatingTasksTests
{
    private static BuiltinConversation WithTasks()
    {
        var chat = new BuiltinConversation();
        chat.Server.Seed("Call mom");
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Go to gym");
        return chat;
    }

    [Theory]
    [InlineData("Change task 1 to 'Call mom tonight'")]
    [InlineData("change task 1 to \"Call mom tonight\"")]
    [InlineData("Change task 1 to Call mom tonight")]
    [InlineData("rename task 1 to 'Call mom tonight'")]
    [InlineData("Rename task #1 to call mom tonight")]
    [InlineData("please update task 1 to say Call mom tonight")]
    [InlineData("update the title of task 1 to Call mom tonight")]
    [InlineData("change task 1's title to 'Call mom tonight'")]
    [InlineData("edit task 1: Call mom tonight")]
    [InlineData("rename 'Call mom' to 'Call mom tonight'")]
    [InlineData("rename the call mom task to Call mom tonight")]
    [InlineData("can you change task one to 'Call mom tonight'?")]
    public async Task A_rename_changes_the_title_through_update_task(string message)
    {
        using var chat = WithTasks();

        var answer = await chat.SayAsync(message);

        Assert.Equal("update_task", chat.CalledTools.Last());
        Assert.Equal("Call mom tonight", chat.Server.Get(1)!.Title);
        Assert.Equal("Done. Task 1 is now called \"Call mom tonight\".", answer);
    }

    [Theory]
    [InlineData("update the groceries task description to milk, eggs and bread")]
    [InlineData("Change the description of task 2 to milk, eggs and bread")]
    [InlineData("set task 2's description to \"milk, eggs and bread\"")]
    [InlineData("update task 2 with description milk, eggs and bread")]
    [InlineData("add a description to task 2: milk, eggs and bread")]
    [InlineData("add a note to task 2: milk, eggs and bread")]
    [InlineData("update the description of buy groceries to milk, eggs and bread")]
    public async Task A_description_change_keeps_the_title(string message)
    {
        using var chat = WithTasks();

        var answer = await chat.SayAsync(message);

        Assert.Equal("update_task", chat.CalledTools.Last());
        Assert.Equal("Buy groceries", chat.Server.Get(2)!.Title);
        Assert.Equal("milk, eggs and bread", chat.Server.Get(2)!.Description);
        Assert.Equal("Done. I've updated the description of task 2, \"Buy groceries\".", answer);
    }

    [Fact]
    public async Task A_rename_can_carry_a_new_description_too()
    {
        using var chat = WithTasks();

        var answer = await chat.SayAsync("rename task 1 to 'Call mom tonight' with description after work");

        Assert.Equal(["update_task"], chat.CalledTools);
        Assert.Equal(("Call mom tonight", "after work"), (chat.Server.Get(1)!.Title, chat.Server.Get(1)!.Description));
        Assert.Equal("Done. Task 1 is now called \"Call mom tonight\" and has the new description.", answer);
    }

    [Fact]
    public async Task A_quoted_new_title_splits_at_the_last_to()
    {
        using var chat = WithTasks();

        await chat.SayAsync("change the go to gym task to 'Gym at 6'");

        Assert.Equal("Gym at 6", chat.Server.Get(3)!.Title);
    }

    [Fact]
    public async Task Changing_an_unknown_task_says_it_was_not_found()
    {
        using var chat = WithTasks();

        var answer = await chat.SayAsync("Change task 7 to 'Something else'");

        Assert.StartsWith("I couldn't find task 7", answer, StringComparison.Ordinal);
        Assert.Equal(["Call mom", "Buy groceries", "Go to gym"], chat.Server.Tasks.Select(t => t.Title));
    }

    [Theory]
    [InlineData("update task 1")]
    [InlineData("rename task 1")]
    public async Task A_change_without_a_new_value_asks_for_it(string message)
    {
        using var chat = WithTasks();

        var answer = await chat.SayAsync(message);

        Assert.Empty(chat.CalledTools);
        Assert.StartsWith("What should I change it to?", answer, StringComparison.Ordinal);
    }
}
