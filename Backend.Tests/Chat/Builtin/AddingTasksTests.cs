namespace Phase4.Tests.Chat.Builtin;

public sealed class AddingTasksTests
{
    [Theory]
    [InlineData("Add a task to buy groceries", "Buy groceries")]
    [InlineData("add a task to buy groceries", "Buy groceries")]
    [InlineData("Please add a task to buy groceries.", "Buy groceries")]
    [InlineData("Can you add a task to buy groceries please?", "Buy groceries")]
    [InlineData("could you please add buy groceries to my list", "Buy groceries")]
    [InlineData("Add buy groceries to my to-do list", "Buy groceries")]
    [InlineData("Add buy groceries to my shopping list", "Buy groceries")]
    [InlineData("add task: buy groceries", "Buy groceries")]
    [InlineData("Create a new task called \"Buy groceries\"", "Buy groceries")]
    [InlineData("create a task named 'Buy groceries'", "Buy groceries")]
    [InlineData("new task: buy groceries", "Buy groceries")]
    [InlineData("todo: buy groceries", "Buy groceries")]
    [InlineData("To-do - buy groceries", "Buy groceries")]
    [InlineData("I need to remember to pay bills", "Pay bills")]
    [InlineData("i need to remember to pay bills", "Pay bills")]
    [InlineData("I have to remember to pay bills!", "Pay bills")]
    [InlineData("Remind me to pay bills", "Pay bills")]
    [InlineData("remind me to call mom tonight", "Call mom tonight")]
    [InlineData("Don't let me forget to water the plants", "Water the plants")]
    [InlineData("I must not forget to renew my passport", "Renew my passport")]
    [InlineData("remember to book the dentist", "Book the dentist")]
    [InlineData("I need to call the plumber", "Call the plumber")]
    [InlineData("I have to finish the quarterly report", "Finish the quarterly report")]
    [InlineData("gotta pick up the dry cleaning", "Pick up the dry cleaning")]
    [InlineData("Hi! Add a reminder to call the bank", "Call the bank")]
    [InlineData("ok so add walk the dog", "Walk the dog")]
    [InlineData("Add a task to delete old emails", "Delete old emails")]
    [InlineData("add a task to mark exams as done", "Mark exams as done")]
    [InlineData("Set a reminder to call mom", "Call mom")]
    [InlineData("add \u201CCall mom\u201D", "Call mom")]
    [InlineData("Add 'Review pull request #42' please", "Review pull request #42")]
    [InlineData("add a task to check Bob's list", "Check Bob's list")]
    public async Task An_add_request_creates_the_task_through_add_task_and_confirms_title_and_id(string message, string title)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Existing task");

        var answer = await chat.SayAsync(message);

        Assert.Equal(["add_task"], chat.CalledTools);
        var created = Assert.Single(chat.Server.Tasks, t => t.Id == 2);
        Assert.Equal(title, created.Title);
        Assert.Contains($"\"{title}\"", answer, StringComparison.Ordinal);
        Assert.Contains("task 2", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Add a task to buy groceries with description milk, eggs and bread", "Buy groceries", "milk, eggs and bread")]
    [InlineData("add 'Buy groceries' with the description \"milk and eggs\"", "Buy groceries", "milk and eggs")]
    [InlineData("new task: call the bank, description: ask about the card", "Call the bank", "ask about the card")]
    public async Task An_add_request_can_carry_a_description(string message, string title, string description)
    {
        using var chat = new BuiltinConversation();

        await chat.SayAsync(message);

        var created = Assert.Single(chat.Server.Tasks);
        Assert.Equal(title, created.Title);
        Assert.Equal(description, created.Description);
    }

    [Theory]
    [InlineData("Add a task")]
    [InlineData("add")]
    [InlineData("create a new task please")]
    public async Task An_add_request_without_a_title_asks_for_one_and_creates_nothing(string message)
    {
        using var chat = new BuiltinConversation();

        var answer = await chat.SayAsync(message);

        Assert.Empty(chat.CalledTools);
        Assert.Empty(chat.Server.Tasks);
        Assert.Contains("What should the new task say?", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_title_the_tool_rejects_is_reported_with_the_tools_reason()
    {
        using var chat = new BuiltinConversation();

        var answer = await chat.SayAsync("Add a task to " + new string('x', 230));

        Assert.Equal(["add_task"], chat.CalledTools);
        Assert.Empty(chat.Server.Tasks);
        Assert.Contains("at most 200 characters", answer, StringComparison.Ordinal);
    }
}
