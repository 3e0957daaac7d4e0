using System.Net;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>Restarts and outages: the server keeps no state, and a missing dependency is a clear 503.</summary>
[Collection(DisruptedChatServices.Name)]
public sealed class ChatFaultTests(ChatServicesFixture fixture)
{
    private readonly ChatServices _services = fixture.Services;

    [Fact]
    public async Task A_conversation_resumes_by_id_after_the_backend_restarts()
    {
        using var user = await _services.CreateUserAsync();
        await user.CreateTaskAsync("Team meeting");
        await user.CreateTaskAsync("Meeting notes");
        var question = await user.ChatAsync("Delete the meeting task");
        var conversationId = (int)question["conversation_id"]!;

        await _services.RestartBackendAsync();
        var answer = await user.ChatAsync("the second one", conversationId);

        Assert.Equal(["delete_task"], answer.ToolNames());
        Assert.Equal(["Team meeting"], (await user.GetTasksAsync()).Select(t => (string)t!["title"]!));
        Assert.Equal(4, (await user.GetJsonArrayAsync(user.MessagesPath(conversationId))).Count);
    }

    [Fact]
    public async Task With_the_mcp_server_down_chat_is_a_503_the_message_is_kept_and_tasks_still_work()
    {
        using var user = await _services.CreateUserAsync();
        await _services.StopMcpServerAsync();
        try
        {
            using var response = await user.PostChatAsync("Add a task to buy groceries");

            var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            var conversationId = (int)problem["conversation_id"]!;
            var messages = await user.GetJsonArrayAsync(user.MessagesPath(conversationId));
            Assert.Equal("Add a task to buy groceries", (string)Assert.Single(messages)!["content"]!);

            await user.CreateTaskAsync("Buy groceries");
            Assert.Single(await user.GetTasksAsync());
        }
        finally
        {
            await _services.StartMcpServerAsync();
        }

        var conversation = (int)(await user.GetJsonArrayAsync(user.ConversationsPath()))[0]!["id"]!;
        var reply = await user.ChatAsync("Show me all my tasks", conversation);
        Assert.Contains("Buy groceries", (string)reply["response"]!, StringComparison.Ordinal);
    }
}
