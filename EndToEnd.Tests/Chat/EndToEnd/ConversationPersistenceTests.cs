using System.Net;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>Conversations and their messages are stored and read back per issue 3's shapes.</summary>
[Collection(SharedChatServices.Name)]
public sealed class ConversationPersistenceTests(ChatServicesFixture fixture)
{
    private readonly ChatServices _services = fixture.Services;

    [Fact]
    public async Task A_turn_stores_the_user_message_and_the_reply_with_its_tool_calls()
    {
        using var user = await _services.CreateUserAsync();

        var reply = await user.ChatAsync("Add a task to buy groceries");
        var conversationId = (int)reply["conversation_id"]!;

        var messages = await user.GetJsonArrayAsync(user.MessagesPath(conversationId));
        Assert.Equal(["user", "assistant"], messages.Select(m => (string)m!["role"]!));
        Assert.Equal("Add a task to buy groceries", (string)messages[0]!["content"]!);
        Assert.Null(messages[0]!["tool_calls"]);
        Assert.Equal((string)reply["response"]!, (string)messages[1]!["content"]!);
        Assert.True(JsonNode.DeepEquals(reply["tool_calls"], messages[1]!["tool_calls"]));
        Assert.True((long)messages[0]!["id"]! < (long)messages[1]!["id"]!);
        Assert.NotNull(messages[1]!["created_at"]);
    }

    [Fact]
    public async Task Conversations_are_listed_newest_first_titled_by_their_first_message()
    {
        using var user = await _services.CreateUserAsync();
        var first = (int)(await user.ChatAsync("Add a task to buy groceries"))["conversation_id"]!;
        var second = (int)(await user.ChatAsync("What's pending?"))["conversation_id"]!;
        await user.ChatAsync("thanks", first);

        var conversations = await user.GetJsonArrayAsync(user.ConversationsPath());

        Assert.Equal([first, second], conversations.Select(c => (int)c!["id"]!));
        Assert.Equal("Add a task to buy groceries", (string)conversations[0]!["title"]!);
        Assert.Equal("What's pending?", (string)conversations[1]!["title"]!);
        Assert.All(conversations, c => Assert.NotNull(c!["created_at"]));
        Assert.True(DateTimeOffset.Parse((string)conversations[0]!["updated_at"]!, System.Globalization.CultureInfo.InvariantCulture)
            >= DateTimeOffset.Parse((string)conversations[0]!["created_at"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Resuming_by_id_continues_the_same_conversation_with_its_history()
    {
        using var user = await _services.CreateUserAsync();
        var added = await user.ChatAsync("Add a task to call the bank");
        var conversationId = (int)added["conversation_id"]!;

        // "it" only means something with the previous answer, which comes from the database.
        var deleted = await user.ChatAsync("actually, delete it", conversationId);

        Assert.Equal(conversationId, (int)deleted["conversation_id"]!);
        Assert.Equal(["delete_task"], deleted.ToolNames());
        Assert.Empty(await user.GetTasksAsync());
        Assert.Equal(4, (await user.GetJsonArrayAsync(user.MessagesPath(conversationId))).Count);
        Assert.Single(await user.GetJsonArrayAsync(user.ConversationsPath()));
    }

    [Fact]
    public async Task Another_users_conversation_is_not_found_for_reading_or_posting()
    {
        using var owner = await _services.CreateUserAsync();
        using var intruder = await _services.CreateUserAsync();
        var conversationId = (int)(await owner.ChatAsync("Add a task to buy groceries"))["conversation_id"]!;

        using (var read = await intruder.Client.GetAsync(intruder.MessagesPath(conversationId)))
        {
            await read.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        using (var post = await intruder.PostChatAsync("show me all my tasks", conversationId))
        {
            await post.AssertProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Empty(await intruder.GetJsonArrayAsync(intruder.ConversationsPath()));
        Assert.Equal(2, (await owner.GetJsonArrayAsync(owner.MessagesPath(conversationId))).Count);
    }

    [Fact]
    public async Task The_routes_of_another_user_id_are_forbidden_and_need_a_token()
    {
        using var owner = await _services.CreateUserAsync();
        using var intruder = await _services.CreateUserAsync();

        using (var post = await intruder.Client.PostAsync(owner.ChatPath(), HttpAssertions.Json("""{"message":"show me all my tasks"}""")))
        {
            await post.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using (var list = await intruder.Client.GetAsync(owner.ConversationsPath()))
        {
            await list.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        using var anonymous = new HttpClient { BaseAddress = _services.BackendAddress };
        using var unauthenticated = await anonymous.PostAsync(owner.ChatPath(), HttpAssertions.Json("""{"message":"hi"}"""));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }
}
