using System.Net;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>Bad chat input is a 400 naming the field, and stores nothing.</summary>
[Collection(SharedChatServices.Name)]
public sealed class ChatValidationTests(ChatServicesFixture fixture)
{
    private readonly ChatServices _services = fixture.Services;

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"message":""}""", "message" },
        { """{"message":"   \n\t "}""", "message" },
        { """{"conversation_id":null}""", "message" },
        { """{"message":null}""", "message" },
        { "{\"message\":\"" + new string('a', 4001) + "\"}", "message" },
        { """{"message":"hi\u0000there"}""", "message" },
        { """{"message":"\ud800 lone surrogate"}""", "message" },
        { """{"message":42}""", "message" },
        { """{"message":"hi","conversation_id":"abc"}""", "conversation_id" },
        { """not json""", "body" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_message_is_a_400_naming_the_field_and_stores_nothing(string body, string field)
    {
        using var user = await _services.CreateUserAsync();

        using var response = await user.Client.PostAsync(user.ChatPath(), HttpAssertions.Json(body));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Empty(await user.GetJsonArrayAsync(user.ConversationsPath()));
    }

    [Fact]
    public async Task A_message_of_exactly_4000_characters_is_accepted()
    {
        using var user = await _services.CreateUserAsync();

        var reply = await user.ChatAsync("Add " + new string('x', 3996));

        Assert.Single(await user.GetJsonArrayAsync(user.ConversationsPath()));
        Assert.Equal(["add_task"], reply.ToolNames());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2147483000)]
    public async Task An_unknown_conversation_id_is_a_404(int conversationId)
    {
        using var user = await _services.CreateUserAsync();

        using var response = await user.PostChatAsync("hello", conversationId);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await user.GetJsonArrayAsync(user.ConversationsPath()));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=201", "limit")]
    [InlineData("?offset=-1", "offset")]
    [InlineData("?limit=abc", "limit")]
    public async Task Bad_conversation_paging_is_a_400_naming_the_parameter(string query, string field)
    {
        using var user = await _services.CreateUserAsync();

        using var response = await user.Client.GetAsync(user.ConversationsPath() + query);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }
}
