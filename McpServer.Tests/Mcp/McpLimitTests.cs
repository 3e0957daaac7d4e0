using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Phase4.Tests.Infrastructure;
using Phase4.Tests.Overload;

namespace Phase4.Tests.Mcp;

/// <summary>
/// The MCP endpoint's limits on a real McpServer process over real PostgreSQL, with small values so each is reached
/// at once: no body larger than the largest legal call is read, a trickled body holds nothing, one account's calls in
/// progress and its rate of tool calls are bounded while another account is served, and every refusal is an HTTP
/// status with a JSON-RPC error body (and <c>Retry-After</c> on 429) that MCP clients surface.
/// </summary>
public sealed class McpLimitTests(McpLimitTests.Fixture fixture) : IClassFixture<McpLimitTests.Fixture>
{
    private const int AccountConcurrency = 2;
    private const int ToolCallBurst = 6;
    private const int MaxBodyBytes = 16 * 1024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_largest_legal_call_is_served_and_one_byte_more_is_413_before_the_body_is_read()
    {
        var user = await fixture.Mcp.CreateUserAsync();
        // update_task with every string at its longest and every character escaped, as a client may send it.
        var title = Escaped(new string('t', 200));
        var description = Escaped(new string('d', 1000));
        var largest = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"update_task\",\"arguments\":{" +
            $"\"task_id\":2147483647,\"title\":\"{title}\",\"description\":\"{description}\",\"user_id\":\"{user:D}\"}}," +
            "\"_meta\":{\"progressToken\":\"p-1\",\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}}";
        Assert.InRange(Encoding.UTF8.GetByteCount(largest), 7000, MaxBodyBytes);
        using (var served = await SendAsync(fixture.Mcp.Tokens.For(user), largest))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Contains("was not found", await served.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var padded = "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"tools/list\",\"params\":{\"_meta\":{\"pad\":\"" +
            new string('x', MaxBodyBytes) + "\"}}}";
        using var refused = await SendAsync(fixture.Mcp.Tokens.For(user), padded[..(MaxBodyBytes - 3)] + "\"}}}" + " ");
        await AssertJsonRpcRefusalAsync(refused, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_chunked_body_is_cut_off_at_the_limit_and_a_declared_30_MB_body_is_refused_without_being_sent()
    {
        var token = fixture.Mcp.Tokens.For(await fixture.Mcp.CreateUserAsync());
        var huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"add_task\",\"arguments\":{\"title\":\"" +
            new string('a', 100_000) + "\"}}}";
        using (var chunked = await SendAsync(token, huge, chunked: true))
        {
            await AssertJsonRpcRefusalAsync(chunked, HttpStatusCode.RequestEntityTooLarge);
        }

        // 30 MB announced: answered before the client sends it (Expect: 100-continue lets the answer arrive first).
        using var client = new HttpClient { BaseAddress = fixture.Mcp.Server.BaseAddress, Timeout = Patience };
        using var request = Request(token, new ByteArrayContent(new byte[30 * 1024 * 1024]));
        request.Headers.ExpectContinue = true;
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_trickled_body_gets_408_after_the_read_deadline_and_holds_no_slot_meanwhile()
    {
        var user = await fixture.Mcp.CreateUserAsync();
        var token = fixture.Mcp.Tokens.For(user);
        var tricklers = new List<Socket>();
        for (var n = 0; n < AccountConcurrency + 1; n++)
        {
            tricklers.Add(await StartTrickleAsync(token));
        }

        // The same account is served while its tricklers are still sending: they hold none of its slots.
        using (var served = await SendAsync(token, ListTasks(1)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        foreach (var socket in tricklers)
        {
            using (socket)
            {
                Assert.StartsWith("HTTP/1.1 408", await ReadAnswerAsync(socket), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task One_account_past_its_calls_in_progress_gets_429_with_Retry_After_while_another_account_is_served()
    {
        var busy = await fixture.Mcp.CreateUserAsync();
        var other = await fixture.Mcp.CreateUserAsync();
        var taskIds = new List<int>();
        for (var n = 0; n < AccountConcurrency; n++)
        {
            taskIds.Add(await fixture.AddTaskAsync(busy, $"held {n}"));
        }

        await using var hold = await DatabaseHold.TakeAsync(fixture.Mcp.ConnectionString,
            "SELECT id FROM tasks WHERE user_id = @user FOR UPDATE", ("user", busy));
        var held = taskIds.Select(id => SendAsync(fixture.Mcp.Tokens.For(busy), Call("complete_task", $"{{\"task_id\":{id}}}"))).ToList();
        await hold.WaitForWaitersAsync(AccountConcurrency, Patience);

        using (var refused = await SendAsync(fixture.Mcp.Tokens.For(busy), ListTasks(2)))
        {
            await AssertJsonRpcRefusalAsync(refused, HttpStatusCode.TooManyRequests, expectedId: "2");
            Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
        }

        using (var served = await SendAsync(fixture.Mcp.Tokens.For(other), ListTasks(3)))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        }

        Assert.All(held, call => Assert.False(call.IsCompleted));
        await hold.ReleaseAsync();
        foreach (var call in held)
        {
            using var response = await call;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task Tool_calls_past_the_account_rate_get_429_with_Retry_After_while_listing_tools_and_other_accounts_go_on()
    {
        var caller = await fixture.Mcp.CreateUserAsync();
        var token = fixture.Mcp.Tokens.For(caller);
        for (var n = 0; n < ToolCallBurst; n++)
        {
            using var allowed = await SendAsync(token, ListTasks(n));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using (var refused = await SendAsync(token, ListTasks(99)))
        {
            await AssertJsonRpcRefusalAsync(refused, HttpStatusCode.TooManyRequests, expectedId: "99");
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(5), "one call comes back every 10 minutes here");
        }

        using (var tools = await SendAsync(token, """{"jsonrpc":"2.0","id":"list","method":"tools/list"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, tools.StatusCode);
        }

        using var otherAccount = await SendAsync(fixture.Mcp.Tokens.For(await fixture.Mcp.CreateUserAsync()), ListTasks(100));
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
    }

    [Fact]
    public async Task A_call_held_past_the_request_timeout_is_ended_and_frees_its_slot()
    {
        var user = await fixture.Mcp.CreateUserAsync();
        var taskId = await fixture.AddTaskAsync(user, "held past the timeout");
        await using var hold = await DatabaseHold.TakeAsync(fixture.Mcp.ConnectionString,
            "SELECT id FROM tasks WHERE user_id = @user FOR UPDATE", ("user", user));
        var clock = Stopwatch.StartNew();
        string answer;
        try
        {
            using var timedOut = await SendAsync(fixture.Mcp.Tokens.For(user), Call("complete_task", $"{{\"task_id\":{taskId}}}"));
            answer = $"{(int)timedOut.StatusCode} {await timedOut.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException e)
        {
            // The SDK sends an event stream's headers at once (so long calls do not trip client timeouts): past them,
            // the time-out can only end the stream, which clients report as a broken response.
            answer = e.Message;
        }

        // Before the database's own 10 s command timeout: the request timeout (3 s here) ended it, query included.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(9), $"answered after {clock.Elapsed}: {answer}");
        Assert.DoesNotContain("\"status\":\"completed\"", answer, StringComparison.Ordinal);
        Assert.Equal(0, await hold.WaitersAsync());
        await hold.ReleaseAsync();
        using var next = await SendAsync(fixture.Mcp.Tokens.For(user), ListTasks(2));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Invalid_limits_stop_the_server_at_start_up()
    {
        await using var server = fixture.StartServer(new() { ["RateLimits__ToolCalls__Burst"] = "0" });
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.WaitUntilHealthyAsync("/alive"));
        Assert.Contains("RateLimits:", failure.Message, StringComparison.Ordinal);
    }

    private static string Escaped(string text) => string.Concat(text.Select(c => $"\\u{(int)c:x4}"));

    private static string Call(string tool, string arguments, int id = 1) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}";

    private static string ListTasks(int id) => Call("list_tasks", "{}", id);

    private static HttpRequestMessage Request(string token, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(string token, string json, bool chunked = false)
    {
        using var client = new HttpClient { BaseAddress = fixture.Mcp.Server.BaseAddress, Timeout = Patience };
        HttpContent content = chunked
            ? new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            : new StringContent(json, Encoding.UTF8);
        using var request = Request(token, content);
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The status, and a JSON-RPC error body (code -32000, the request's id when it could be read).</summary>
    private static async Task AssertJsonRpcRefusalAsync(HttpResponseMessage response, HttpStatusCode status, string expectedId = "null")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!;
        Assert.Equal("2.0", (string?)error["jsonrpc"]);
        Assert.Equal(expectedId, error["id"]?.ToJsonString() ?? "null");
        Assert.Equal(-32000, (int)error["error"]!["code"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["error"]!["message"]));
    }

    private async Task<Socket> StartTrickleAsync(string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Mcp.Server.BaseAddress.Port);
        var head = "POST /mcp HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n" +
            $"Authorization: Bearer {token}\r\nContent-Length: 500\r\n\r\n{{";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        _ = Task.Run(async () =>
        {
            try
            {
                for (var n = 0; n < 100; n++)
                {
                    await Task.Delay(200);
                    await socket.SendAsync(" "u8.ToArray());
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The server answered and closed the connection.
            }
        });
        return socket;
    }

    private static async Task<string> ReadAnswerAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            for (int received; (received = await socket.ReceiveAsync(buffer, timeout.Token)) > 0;)
            {
                answer.Append(Encoding.ASCII.GetString(buffer, 0, received));
            }
        }
        catch (OperationCanceledException)
        {
        }

        return answer.ToString();
    }

    /// <summary>An MCP server with small limits over its own database.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly McpServerFixture _base = new();

        public McpServerFixture Mcp => _base;

        public static Dictionary<string, string?> Limits => new()
        {
            ["RateLimits__AccountConcurrency"] = AccountConcurrency.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__AccountQueue"] = "0",
            ["RateLimits__ToolCalls__Burst"] = ToolCallBurst.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__ToolCalls__ReplenishEvery"] = "00:10:00",
            ["RateLimits__BodyReadTimeout"] = "00:00:01",
            ["RateLimits__RequestTimeout"] = "00:00:03",
            ["RateLimits__RetryAfter"] = "00:00:03",
        };

        public async Task InitializeAsync() => await _base.InitializeAsync(Limits);

        public ServiceProcess StartServer(Dictionary<string, string?> extra) => _base.StartAnotherServer(extra);

        /// <summary>Adds a task straight into the database (no tool call spent), returning its id.</summary>
        public async Task<int> AddTaskAsync(Guid user, string title)
        {
            await using var connection = new Npgsql.NpgsqlConnection(Mcp.ConnectionString);
            await connection.OpenAsync();
            await using var insert = new Npgsql.NpgsqlCommand(
                "INSERT INTO tasks (user_id, title, completed, created_at, updated_at) VALUES (@user, @title, false, now(), now()) RETURNING id", connection);
            insert.Parameters.AddWithValue("user", user);
            insert.Parameters.AddWithValue("title", title);
            return (int)(await insert.ExecuteScalarAsync())!;
        }

        public Task DisposeAsync() => _base.DisposeAsync();
    }
}
