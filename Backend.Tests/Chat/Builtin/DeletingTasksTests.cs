using Microsoft.Extensions.AI;
using Phase4.Backend.Chat;
using Phase4.Backend.Chat.Builtin;

namespace Phase4.Tests.Chat.Builtin;

public sealed class DeletingTasksTests
{
    [Theory]
    [InlineData("Delete the meeting task")]
    [InlineData("delete the meeting task")]
    [InlineData("Please remove the meeting task from my list")]
    [InlineData("get rid of the meeting")]
    [InlineData("delete 'Team meeting'")]
    [InlineData("delete team meeting")]
    [InlineData("Can you delete the task called team meeting?")]
    [InlineData("remove meeting")]
    [InlineData("cancel the meeting task")]
    [InlineData("I don't need to attend the team meeting anymore")]
    [InlineData("take the meeting off my list")]
    public async Task Deleting_by_title_lists_finds_the_task_and_deletes_it(string message)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Team meeting");

        var answer = await chat.SayAsync(message);

        Assert.Equal(["list_tasks", "delete_task"], chat.CalledTools);
        Assert.Equal(2, chat.Server.Calls[1].Arguments["task_id"]?.GetValue<int>());
        Assert.Equal(["Buy groceries"], chat.Server.Tasks.Select(t => t.Title));
        Assert.Equal("Done. I've deleted task 2, \"Team meeting\".", answer);
    }

    [Theory]
    [InlineData("remove task 2")]
    [InlineData("Remove task 2")]
    [InlineData("delete task #2")]
    [InlineData("delete #2")]
    [InlineData("could you delete task number 2 please")]
    [InlineData("erase task two")]
    [InlineData("I want to delete task 2")]
    public async Task Deleting_by_id_calls_delete_task_directly(string message)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Team meeting");

        var answer = await chat.SayAsync(message);

        Assert.Equal(["delete_task"], chat.CalledTools);
        Assert.Null(chat.Server.Get(2));
        Assert.Equal("Done. I've deleted task 2, \"Team meeting\".", answer);
    }

    [Fact]
    public async Task Several_matches_are_listed_and_the_assistant_asks_which_one()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Team meeting");
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Meeting notes");

        var answer = await chat.SayAsync("Delete the meeting task");

        Assert.Equal(["list_tasks"], chat.CalledTools);
        Assert.Equal(3, chat.Server.Tasks.Count);
        Assert.Equal(
            "I found 2 tasks matching \"meeting\":\n" +
            "1. Team meeting (task 1, pending)\n" +
            "2. Meeting notes (task 3, pending)\n" +
            "Which one should I delete? Reply with its task id, for example \"task 1\".",
            answer);
    }

    [Theory]
    [InlineData("task 3", 3)]
    [InlineData("3", 3)]
    [InlineData("#1", 1)]
    [InlineData("the second one", 3)]
    [InlineData("the first one", 1)]
    [InlineData("last", 3)]
    [InlineData("meeting notes", 3)]
    [InlineData("the team one", 1)]
    [InlineData("delete task 1", 1)]
    public async Task The_answer_to_which_one_deletes_that_task(string reply, int deletedId)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Team meeting");
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Meeting notes");
        await chat.SayAsync("Delete the meeting task");

        var answer = await chat.SayAsync(reply);

        Assert.Null(chat.Server.Get(deletedId));
        Assert.Equal(2, chat.Server.Tasks.Count);
        Assert.StartsWith($"Done. I've deleted task {deletedId}", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_question_is_recovered_from_the_previous_turns_tool_results_not_from_the_wording_of_the_reply()
    {
        var server = new InMemoryTaskTools();
        server.Seed("Team meeting");
        server.Seed("Buy groceries");
        server.Seed("Meeting notes");
        using var client = new ChatClientBuilder(new BuiltinChatClient()).UseFunctionInvocation().Build();
        var question = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Delete the meeting task")], new ChatOptions { Tools = server.Tools });

        // The stored turn as the chat agent hands it back, its reply worded as another model (or a later version) might.
        List<ChatMessage> history =
        [
            new(ChatRole.User, "Delete the meeting task"),
            .. ChatTranscript.AssistantTurn("Two of your tasks fit. Say which.", ChatTranscript.ToolCalls(question.Messages), "stored_2"),
            new(ChatRole.User, "the second one"),
        ];
        var answer = await client.GetResponseAsync(history, new ChatOptions { Tools = server.Tools });

        Assert.Equal("delete_task", server.Calls[^1].Name);
        Assert.Null(server.Get(3));
        Assert.Equal(["Team meeting", "Buy groceries"], server.Tasks.Select(t => t.Title));
        Assert.Equal("Done. I've deleted task 3, \"Meeting notes\".", answer.Text);
    }

    [Theory]
    [InlineData("never mind")]
    [InlineData("cancel")]
    [InlineData("no")]
    public async Task Declining_to_choose_changes_nothing(string reply)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Team meeting");
        chat.Server.Seed("Meeting notes");
        await chat.SayAsync("Delete the meeting task");

        var answer = await chat.SayAsync(reply);

        Assert.Empty(chat.CalledTools);
        Assert.Equal(2, chat.Server.Tasks.Count);
        Assert.Equal("Okay, I won't change anything.", answer);
    }

    [Fact]
    public async Task A_near_miss_is_suggested_and_yes_accepts_it()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Book dentist appointment");

        var suggestion = await chat.SayAsync("delete the doctor appointment");
        Assert.Single(chat.Server.Tasks);
        Assert.Equal("I couldn't find a task matching \"doctor appointment\". Did you mean task 1, \"Book dentist appointment\"?", suggestion);

        var answer = await chat.SayAsync("yes");

        Assert.Equal(["delete_task"], chat.CalledTools);
        Assert.Empty(chat.Server.Tasks);
        Assert.Equal("Done. I've deleted task 1, \"Book dentist appointment\".", answer);
    }

    [Fact]
    public async Task Deleting_an_unknown_id_says_it_was_not_found()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");

        var answer = await chat.SayAsync("delete task 99");

        Assert.Single(chat.Server.Tasks);
        Assert.StartsWith("I couldn't find task 99", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("delete all my tasks")]
    [InlineData("remove everything")]
    [InlineData("delete tasks 1 and 2")]
    [InlineData("clear completed tasks")]
    public async Task Bulk_deletes_are_declined_one_task_at_a_time(string message)
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        chat.Server.Seed("Pay bills", completed: true);

        var answer = await chat.SayAsync(message);

        Assert.Empty(chat.CalledTools);
        Assert.Equal(2, chat.Server.Tasks.Count);
        Assert.StartsWith("I can delete one task at a time", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_it_after_adding_deletes_the_task_just_added()
    {
        using var chat = new BuiltinConversation();
        chat.Server.Seed("Buy groceries");
        await chat.SayAsync("add a task to call the bank");

        var answer = await chat.SayAsync("actually, delete it");

        Assert.Equal(["delete_task"], chat.CalledTools);
        Assert.Equal(["Buy groceries"], chat.Server.Tasks.Select(t => t.Title));
        Assert.Equal("Done. I've deleted task 2, \"Call the bank\".", answer);
    }
}
