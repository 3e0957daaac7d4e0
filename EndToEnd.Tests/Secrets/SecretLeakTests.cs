using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Chat.EndToEnd;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Secrets;

/// <summary>
/// Starts Backend.Api and McpServer with known secret values (the JWT private key, a database password, an AI key) and
/// a user's password, drives them through success and failure paths with debug logging and OTLP export to a fake
/// collector — including a chat turn whose model (a fake OpenAI-compatible server, sent the AI key) calls a tool on
/// the MCP server with the user's MCP token — and searches every log line, exported trace/log/metric payload and
/// response body for those values, and the logs and exports for the bearer tokens too.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const string AiKey = "sk-phase4-secret-ai-key-2b8d4f6a0c";
    private const string UserPassword = "user-secret-passphrase-91c3";

    private readonly PostgresServer _postgres = new();
    private readonly List<string> _bodies = [];
    private readonly List<string> _tokens = [];

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task No_secret_appears_in_logs_traces_or_error_bodies()
    {
        using var keys = new TestKeys();
        using var collector = new FakeOtlpCollector();
        await using var model = await FakeOpenAIServer.StartAsync();
        model.Script = body => FakeOpenAIServer.SinceLastUserMessage(body) switch
        {
            [] => FakeOpenAIServer.ToolCall("add_task", new JsonObject { ["title"] = "Renew passport" }),
            _ => FakeOpenAIServer.Text("Added it."),
        };
        var mcpPort = FreePort.Next();
        // The services connect as their roles, with the passwords the migrator gave them (and must never print).
        var ownerConnection = await _postgres.CreateDatabaseAsync("secrets");
        var (migrated, migratorOutput) = await Migrator.RunAsync(ownerConnection);
        Assert.Equal(0, migrated);
        var database = MigratedDatabase.For(ownerConnection);
        var telemetry = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["Logging__LogLevel__Default"] = "Debug",
        };
        await using var backend = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem, new(telemetry)
        {
            ["AI__Provider"] = "openai",
            ["AI__Endpoint"] = model.Endpoint.ToString(),
            ["AI__Model"] = "fake-model",
            ["AI__ApiKey"] = AiKey,
            ["services__mcpserver__http__0"] = $"http://127.0.0.1:{mcpPort}",
        });
        await backend.WaitUntilHealthyAsync();
        await using var mcp = ServiceProcess.Start("McpServer", new Dictionary<string, string?>(telemetry)
        {
            ["ConnectionStrings__tasksdb"] = database.McpServer,
            ["Jwt__PublicKey"] = PublicKeyPem(keys.PrivateKeyPem),
        }, mcpPort);
        await mcp.WaitUntilHealthyAsync();

        await ExerciseAsync(backend.BaseAddress, mcp.BaseAddress);
        // The chat turn really used the AI key and reached the MCP server (the tool's task exists).
        Assert.Contains(model.Requests, request => request.Authorization == "Bearer " + AiKey);
        Assert.Contains("Renew passport", string.Join('\n', _bodies), StringComparison.Ordinal);
        await WaitForTracesAsync(collector);
        await backend.StopAsync();
        await mcp.StopAsync();

        var places = new Dictionary<string, string>
        {
            ["migrator output"] = migratorOutput,
            ["backend output"] = backend.Output,
            ["MCP server output"] = mcp.Output,
            ["response bodies"] = string.Join('\n', _bodies),
            ["OTLP exports"] = string.Join('\n', collector.Exports.Select(e => Encoding.UTF8.GetString(e.Body))),
        };
        foreach (var (place, text) in places)
        {
            foreach (var (name, secret) in Secrets(keys.PrivateKeyPem))
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"The {name} appears in the {place}.");
            }

            // Tokens are the point of some response bodies (sign-in, mcp-token), never of logs or telemetry.
            if (place != "response bodies")
            {
                Assert.All(_tokens, token => Assert.False(text.Contains(token, StringComparison.Ordinal), $"A bearer token appears in the {place}."));
            }
        }
    }

    /// <summary>
    /// Sign-up, a wrong and a right password, task work, refusals, bad tokens, a chat turn that calls an MCP tool, a
    /// direct MCP call and its refusals.
    /// </summary>
    private async Task ExerciseAsync(Uri backend, Uri mcp)
    {
        using var client = new HttpClient { BaseAddress = backend, Timeout = TimeSpan.FromSeconds(120) }; // a cold first chat turn
        var email = TestUser.NewEmail();
        await SendAsync(client.PostAsJsonAsync("/api/auth/register", new { email, password = UserPassword }));
        await SendAsync(client.PostAsJsonAsync("/api/auth/register", new { email, password = UserPassword }));
        await SendAsync(client.PostAsJsonAsync("/api/auth/login", new { email, password = UserPassword + "-wrong" }));
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password = UserPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var session = await login.ReadJsonAsync();
        var userId = (string)session["user_id"]!;
        client.DefaultRequestHeaders.Authorization = new("Bearer", (string)session["access_token"]!);
        _tokens.Add((string)session["access_token"]!);

        await SendAsync(client.PostAsJsonAsync($"/api/{userId}/tasks", new { title = "Pay bills", description = "monthly" }));
        await SendAsync(client.GetAsync($"/api/{userId}/tasks"));
        await SendAsync(client.PostAsync($"/api/{userId}/tasks", HttpAssertions.Json("{\"title\":")));
        await SendAsync(client.GetAsync($"/api/{Guid.NewGuid():D}/tasks"));
        await SendAsync(client.GetAsync($"/api/{userId}/tasks/999999"));
        using var mcpToken = await client.PostAsJsonAsync("/api/auth/mcp-token", new { });
        var token = (string)(await mcpToken.ReadJsonAsync())["access_token"]!;
        _tokens.Add(token);

        using (var chat = await client.PostAsJsonAsync($"/api/{userId}/chat", new { message = "Please add renew passport" }))
        {
            _bodies.Add(await chat.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        await SendAsync(client.GetAsync($"/api/{userId}/tasks"));

        using var anonymous = new HttpClient { BaseAddress = backend, Timeout = TimeSpan.FromSeconds(30) };
        anonymous.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + TestKeys.WithoutSignature(userId));
        await SendAsync(anonymous.GetAsync($"/api/{userId}/tasks"));

        using var mcpClient = new HttpClient { BaseAddress = mcp, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var bearer in new[] { token, "not-a-token" })
        {
            using var call = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = HttpAssertions.Json(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add_task\",\"arguments\":{\"title\":\"via mcp\"}}}"),
            };
            call.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer);
            call.Headers.Accept.ParseAdd("application/json");
            call.Headers.Accept.ParseAdd("text/event-stream");
            await SendAsync(mcpClient.SendAsync(call));
        }
    }

    private async Task SendAsync(Task<HttpResponseMessage> sending)
    {
        using var response = await sending;
        _bodies.Add(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for trace exports, so the search covers what a collector would really receive.</summary>
    private static async Task WaitForTracesAsync(FakeOtlpCollector collector)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!collector.Exports.Any(e => e.Path == "/v1/traces") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Contains(collector.Exports, e => e.Path == "/v1/traces");
    }

    /// <summary>The secrets by name: each line of the private key's base64 body separately, so no fragment may leak either.</summary>
    private static IEnumerable<(string Name, string Value)> Secrets(string privateKeyPem)
    {
        yield return ("backend role's database password", Migrator.BackendPassword);
        yield return ("MCP role's database password", Migrator.McpPassword);
        yield return ("AI key", AiKey);
        yield return ("user's password", UserPassword);
        foreach (var line in privateKeyPem.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                     .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)))
        {
            yield return ("JWT private key", line);
        }
    }

    private static string PublicKeyPem(string privateKeyPem)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(privateKeyPem);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
    }
}
