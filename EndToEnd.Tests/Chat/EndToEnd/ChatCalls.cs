using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>The chat routes as a signed-in user calls them.</summary>
public static class ChatCalls
{
    /// <summary>
    /// Chat turns get more time than the users' CRUD clients allow: a cold backend on a loaded machine can take a while
    /// for its first turn, as a real model always does.
    /// </summary>
    private static readonly HttpClient TurnClient = new() { Timeout = TimeSpan.FromSeconds(150) };

    public static string ChatPath(this TestUser user) => $"/api/{user.Id:D}/chat";

    public static string ConversationsPath(this TestUser user) => $"/api/{user.Id:D}/conversations";

    public static string MessagesPath(this TestUser user, int conversationId) => $"/api/{user.Id:D}/conversations/{conversationId}/messages";

    public static async Task<HttpResponseMessage> PostChatAsync(this TestUser user, string message, int? conversationId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(user.Client.BaseAddress!, user.ChatPath()))
        {
            Content = JsonContent.Create(new JsonObject { ["conversation_id"] = conversationId, ["message"] = message }),
        };
        request.Headers.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        return await TurnClient.SendAsync(request);
    }

    /// <summary>One successful turn: the reply's JSON.</summary>
    public static async Task<JsonNode> ChatAsync(this TestUser user, string message, int? conversationId = null)
    {
        using var response = await user.PostChatAsync(message, conversationId);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Chat answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonArray> GetJsonArrayAsync(this TestUser user, string path)
    {
        using var response = await user.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsArray();
    }

    /// <summary>The user's tasks as the REST API reports them.</summary>
    public static Task<JsonArray> GetTasksAsync(this TestUser user) => user.GetJsonArrayAsync(user.Tasks);

    public static string[] ToolNames(this JsonNode reply) =>
        reply["tool_calls"]!.AsArray().Select(c => (string)c!["name"]!).ToArray();
}
