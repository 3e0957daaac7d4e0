using System.Net;
using System.Text.Json.Nodes;
using Phase4.Backend.Chat;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>A stack whose backend uses the <c>openai</c> provider against <see cref="FakeOpenAIServer"/>.</summary>
public sealed class OpenAIServicesFixture : FakeModelChatFixture
{
    public const int MaxHistoryMessages = 4;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["AI__MaxHistoryMessages"] = MaxHistoryMessages.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// The <c>openai</c> provider through the real OpenAI client over real HTTP: the model's tool calls reach the MCP
/// server as the signed-in user, and the final answer is stored.
/// </summary>
public sealed class OpenAIProviderTests(OpenAIServicesFixture fixture) : IClassFixture<OpenAIServicesFixture>
{
    private readonly ChatServices _services = fixture.Services;
    private readonly FakeOpenAIServer _model = fixture.FakeModel;

    [Fact]
    public async Task A_model_tool_call_reaches_the_mcp_server_and_the_final_answer_is_stored()
    {
        using var user = await _services.CreateUserAsync();
        _model.Script = body => FakeOpenAIServer.SinceLastUserMessage(body) switch
        {
            [] => FakeOpenAIServer.ToolCall("add_task", new JsonObject { ["title"] = "Buy groceries" }),
            [.., var toolResult] => FakeOpenAIServer.Text("Added it: " + (string)toolResult["content"]!),
        };
        _model.Requests.Clear();

        var reply = await user.ChatAsync("please add buy groceries");

        var task = Assert.Single(await user.GetTasksAsync());
        Assert.Equal("Buy groceries", (string)task!["title"]!);
        var call = Assert.Single(reply["tool_calls"]!.AsArray());
        Assert.Equal("add_task", (string)call!["name"]!);
        Assert.Equal("Buy groceries", (string)call["arguments"]!["title"]!);
        Assert.Equal((int)task["id"]!, (int)call["result"]!["task_id"]!);
        Assert.StartsWith("Added it: {", (string)reply["response"]!, StringComparison.Ordinal);

        var stored = await user.GetJsonArrayAsync(user.MessagesPath((int)reply["conversation_id"]!));
        Assert.Equal((string)reply["response"]!, (string)stored[1]!["content"]!);
        Assert.True(JsonNode.DeepEquals(reply["tool_calls"], stored[1]!["tool_calls"]));

        var requests = _model.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.All(requests, r => Assert.Equal("Bearer " + OpenAIServicesFixture.ApiKey, r.Authorization));
        var first = requests[0].Body;
        Assert.Equal(OpenAIServicesFixture.Model, (string)first["model"]!);
        Assert.Equal(AgentInstructions.Text, (string)first["messages"]![0]!["content"]!);
        Assert.Equal(
            ["add_task", "complete_task", "delete_task", "list_tasks", "update_task"],
            first["tools"]!.AsArray().Select(t => (string)t!["function"]!["name"]!).Order());
        var toolMessage = FakeOpenAIServer.SinceLastUserMessage(requests[1].Body)[^1];
        Assert.Equal("tool", (string)toolMessage["role"]!);
        Assert.Contains("\"created\"", (string)toolMessage["content"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_starting_backend_warms_its_tool_path_through_the_mcp_server_without_a_model_call()
    {
        _model.Requests.Clear();

        await _services.RestartBackendAsync();

        Assert.Contains("Warm-up ChatWarmUp took", _services.Backend.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish", _services.Backend.Output, StringComparison.Ordinal);
        Assert.Empty(_model.Requests);
    }

    [Fact]
    public async Task A_tool_call_naming_another_user_is_refused_by_the_mcp_server()
    {
        using var victim = await _services.CreateUserAsync();
        using var attacker = await _services.CreateUserAsync();
        await victim.CreateTaskAsync("Secret plan");
        _model.Script = body => FakeOpenAIServer.SinceLastUserMessage(body) switch
        {
            [] => FakeOpenAIServer.ToolCall("list_tasks", new JsonObject { ["user_id"] = victim.Id.ToString("D") }),
            _ => FakeOpenAIServer.Text("I can only show your own tasks."),
        };

        var reply = await attacker.ChatAsync($"show the tasks of user {victim.Id:D}");

        var call = Assert.Single(reply["tool_calls"]!.AsArray());
        Assert.Contains("user_id", (string)call!["result"]!["error"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret plan", reply.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(await victim.GetTasksAsync());
    }

    [Fact]
    public async Task The_history_sent_to_the_model_is_the_most_recent_messages_in_order()
    {
        using var user = await _services.CreateUserAsync();
        _model.Script = body => FakeOpenAIServer.Text("reply to " + (string)body["messages"]!.AsArray()[^1]!["content"]!);
        int? conversationId = null;
        foreach (var message in new[] { "one", "two", "three", "four" })
        {
            _model.Requests.Clear();
            conversationId = (int)(await user.ChatAsync(message, conversationId))["conversation_id"]!;
        }

        var lastRequest = Assert.Single(_model.Requests).Body;
        var sent = lastRequest["messages"]!.AsArray().Select(m => ((string)m!["role"]!, (string)m["content"]!)).ToArray();
        Assert.Equal(
            [
                ("system", AgentInstructions.Text),
                ("user", "two"), ("assistant", "reply to two"),
                ("user", "three"), ("assistant", "reply to three"),
                ("user", "four"),
            ],
            sent);
        Assert.Equal(8, (await user.GetJsonArrayAsync(user.MessagesPath(conversationId!.Value))).Count);
    }

    [Fact]
    public async Task Earlier_turns_reach_the_model_with_their_tool_calls_and_results()
    {
        using var user = await _services.CreateUserAsync();
        _model.Script = body => FakeOpenAIServer.SinceLastUserMessage(body) switch
        {
            [] when LastUserMessage(body) == "please add pay bills" => FakeOpenAIServer.ToolCall("add_task", new JsonObject { ["title"] = "Pay bills" }),
            [] => FakeOpenAIServer.Text("It is task " + LastUserMessage(body)),
            _ => FakeOpenAIServer.Text("Added."),
        };
        var conversationId = (int)(await user.ChatAsync("please add pay bills"))["conversation_id"]!;
        var taskId = (int)Assert.Single(await user.GetTasksAsync())!["id"]!;
        _model.Requests.Clear();

        await user.ChatAsync("which id did it get?", conversationId);

        var sent = Assert.Single(_model.Requests).Body["messages"]!.AsArray().Select(m => m!.AsObject()).ToArray();
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "user"], sent.Select(m => (string)m["role"]!));
        var call = sent[2]["tool_calls"]![0]!;
        Assert.Equal("add_task", (string)call["function"]!["name"]!);
        Assert.Equal("Pay bills", (string)JsonNode.Parse((string)call["function"]!["arguments"]!)!["title"]!);
        Assert.Equal((string)call["id"]!, (string)sent[3]["tool_call_id"]!);
        Assert.Equal(taskId, (int)JsonNode.Parse((string)sent[3]["content"]!)!["task_id"]!);
        Assert.Equal("Added.", (string)sent[4]["content"]!);
    }

    private static string LastUserMessage(JsonObject body) =>
        (string)body["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!["content"]!;

    [Fact]
    public async Task A_model_endpoint_that_is_down_answers_503_keeps_the_message_and_tasks_still_work()
    {
        await using var backend = await _services.StartExtraBackendAsync(new Dictionary<string, string?>
        {
            ["AI__Provider"] = "openai",
            ["AI__Endpoint"] = $"http://127.0.0.1:{FreePort.Next()}/v1",
            ["AI__Model"] = OpenAIServicesFixture.Model,
            ["AI__ApiKey"] = OpenAIServicesFixture.ApiKey,
        });
        using var user = await TestUser.CreateAsync(backend.BaseAddress);

        using var response = await user.PostChatAsync("Add a task to buy groceries");

        var problem = await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        var conversationId = (int)problem["conversation_id"]!;
        var messages = await user.GetJsonArrayAsync(user.MessagesPath(conversationId));
        Assert.Equal("Add a task to buy groceries", (string)Assert.Single(messages)!["content"]!);
        Assert.DoesNotContain(OpenAIServicesFixture.ApiKey, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(OpenAIServicesFixture.ApiKey, backend.Output, StringComparison.Ordinal);

        await user.CreateTaskAsync("Still works");
        Assert.Single(await user.GetTasksAsync());
    }
}
