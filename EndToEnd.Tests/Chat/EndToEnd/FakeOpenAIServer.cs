using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// A small OpenAI-compatible server on a free loopback port: <c>POST /v1/chat/completions</c> answers whatever the
/// current <see cref="Script"/> returns for the request (a tool call or a final message). Every request and its
/// <c>Authorization</c> header are recorded, so tests can see what the backend sent to "the model".
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAIServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The base URL to configure as <c>AI:Endpoint</c>.</summary>
    public Uri Endpoint { get; }

    public ConcurrentQueue<(JsonObject Body, string? Authorization)> Requests { get; } = new();

    /// <summary>Given the request body, the assistant message to answer with.</summary>
    public Func<JsonObject, JsonObject> Script { get; set; } = _ => Text("Hello from the fake model.");

    /// <summary>Awaited before each answer (after the request is recorded): lets a test keep chat turns in progress.</summary>
    public Func<JsonObject, Task> BeforeAnswer { get; set; } = _ => Task.CompletedTask;

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAIServer(app, new Uri($"http://127.0.0.1:{port}/v1"));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            server.Requests.Enqueue((body, http.Request.Headers.Authorization.ToString()));
            await server.BeforeAnswer(body);
            var message = server.Script(body);
            var completion = new JsonObject
            {
                ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
                ["object"] = "chat.completion",
                ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["model"] = (string?)body["model"],
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = message,
                    ["finish_reason"] = message["tool_calls"] is null ? "stop" : "tool_calls",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
            };
            return Results.Content(completion.ToJsonString(), "application/json");
        });
        await app.StartAsync();
        return server;
    }

    public static JsonObject Text(string content) => new() { ["role"] = "assistant", ["content"] = content };

    public static JsonObject ToolCall(string name, JsonObject arguments) => new()
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["id"] = "call_" + Guid.NewGuid().ToString("N")[..12],
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments.ToJsonString() },
        }),
    };

    /// <summary>The messages of a request that came after its last user message (tool calls and results).</summary>
    public static JsonObject[] SinceLastUserMessage(JsonObject body)
    {
        var messages = body["messages"]!.AsArray().Select(m => m!.AsObject()).ToArray();
        var last = Array.FindLastIndex(messages, m => (string?)m["role"] == "user");
        return messages[(last + 1)..];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
