using System.Net;
using System.Net.Http.Json;
using System.Text;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;
using Phase4.Tests.Secrets;

namespace Phase4.Tests.Frontend;

/// <summary>
/// The frontend's Node server, the backend and the MCP server as real processes, each exporting OTLP/HTTP to one fake
/// collector: a chat turn sent to the frontend, as the page sends it, must arrive as one trace that runs from the
/// frontend through the backend and the MCP server to PostgreSQL (W3C trace context on every hop).
/// </summary>
public sealed class FrontendTraceTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task A_chat_turn_through_the_frontend_is_one_trace_from_the_frontend_to_PostgreSQL()
    {
        using var keys = new TestKeys();
        using var collector = new FakeOtlpCollector();
        var database = await _postgres.CreateMigratedDatabaseAsync("traces");
        var mcpPort = FreePort.Next();
        await using var backend = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem, new(Telemetry(collector, "backend"))
        {
            ["AI__Provider"] = "builtin",
            ["services__mcpserver__http__0"] = $"http://127.0.0.1:{mcpPort}",
        });
        await backend.WaitUntilHealthyAsync();
        await using var mcp = ServiceProcess.Start("McpServer", new Dictionary<string, string?>(Telemetry(collector, "mcpserver"))
        {
            ["ConnectionStrings__tasksdb"] = database.McpServer,
            ["Jwt__PublicKey"] = keys.PublicKeyPem,
        }, mcpPort);
        await mcp.WaitUntilHealthyAsync();
        await using var frontend = await FrontendProcess.StartAsync(backend.BaseAddress, mcp.BaseAddress, Telemetry(collector, "frontend"));

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = frontend.BaseAddress,
            Timeout = TimeSpan.FromSeconds(120),
        };
        browser.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        using var signUp = await browser.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.Created, signUp.StatusCode);
        var userId = (string)(await signUp.ReadJsonAsync())["user_id"]!;
        using (var chat = await browser.PostAsJsonAsync($"/api/{userId}/chat", new { message = "Add a task to buy milk" }))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            Assert.Contains("add_task", await chat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var trace = await WaitForAsync(collector, spans => spans
            .GroupBy(span => span.TraceId)
            .FirstOrDefault(trace =>
                trace.Any(span => span.Service == "frontend") &&
                trace.Any(span => span.Service == "backend") &&
                trace.Any(span => span.Service == "mcpserver" && span.Scope == "Npgsql")));
        Assert.Contains(trace, span => span.Service == "frontend" && span.Scope.Contains("undici", StringComparison.Ordinal));
        Assert.Contains(trace, span => span.Service == "mcpserver" && span.Scope.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));

        // Its logs and metrics go to the collector too.
        await frontend.StopAsync();
        foreach (var signal in new[] { "/v1/logs", "/v1/metrics" })
        {
            Assert.Contains(collector.Exports, export => export.Path == signal && Encoding.UTF8.GetString(export.Body).Contains("frontend", StringComparison.Ordinal));
        }
    }

    private static Dictionary<string, string?> Telemetry(FakeOtlpCollector collector, string service) => new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        ["OTEL_SERVICE_NAME"] = service,
    };

    private static async Task<IGrouping<string, OtlpSpan>> WaitForAsync(
        FakeOtlpCollector collector, Func<IEnumerable<OtlpSpan>, IGrouping<string, OtlpSpan>?> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var spans = collector.Exports.Where(e => e.Path == "/v1/traces").SelectMany(e => OtlpSpans.Read(e.Body)).ToList();
            if (find(spans) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, "No trace spans the frontend, the backend and the MCP server's PostgreSQL calls. Spans seen:\n" +
                string.Join('\n', spans.Select(span => $"{span.TraceId} {span.Service} {span.Scope} {span.Name}")));
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
    }
}
