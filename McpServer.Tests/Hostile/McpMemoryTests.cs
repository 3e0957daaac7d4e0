using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Phase4.Tests.Infrastructure;
using Phase4.Tests.Mcp;
using Xunit.Abstractions;

namespace Phase4.Tests.Hostile;

/// <summary>
/// The MCP server as its Kubernetes manifest runs it, in a memory cgroup with the manifest's limit (384 MiB: past it
/// the kernel kills the pod and chat stops for everyone), under what one account can throw at it: parallel ~29 MB
/// tool calls (Kestrel's default 30 MB limit let those in), deeply nested bodies, and a flood of concurrent calls.
/// It must stay up and keep serving another account throughout; the memory high-water mark is written to the output.
/// </summary>
public sealed partial class McpMemoryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly McpServerFixture _mcp = new();
    private MemoryCgroup _cgroup = null!;
    private ServiceProcess _server = null!;

    public async Task InitializeAsync()
    {
        _cgroup = MemoryCgroup.Create(ManifestMemoryLimitBytes());
        await _mcp.InitializeAsync();
        _server = _mcp.StartAnotherServerIn(_cgroup);
        await _server.WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        await _mcp.DisposeAsync();
        _cgroup?.Dispose();
    }

    [Fact]
    public async Task The_MCP_server_stays_up_within_its_manifest_memory_limit_under_huge_deep_and_flooding_calls()
    {
        var attacker = _mcp.Tokens.For(await _mcp.CreateUserAsync());
        var bystander = _mcp.Tokens.For(await _mcp.CreateUserAsync());
        // Waits for the answer to Expect: 100-continue however busy the server is (the default gives up after 1 s).
        using var client = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) })
        {
            BaseAddress = _server.BaseAddress,
            Timeout = TimeSpan.FromMinutes(2),
        };

        // 1. Sixteen parallel add_task calls with ~29 MB titles, half with a declared length, half chunked.
        var huge = Encoding.UTF8.GetBytes(Call("add_task", "{\"title\":\"" + new string('a', 29_000_000) + "\"}"));
        var hugeCalls = Enumerable.Range(0, 16).Select(n => SendAsync(client, attacker, huge, chunked: n % 2 == 1)).ToList();
        // 2. Deeply nested arguments, under the size limit.
        var deep = Encoding.UTF8.GetBytes(Call("add_task", "{\"title\":\"x\",\"extra\":" + new string('[', 7_000) + new string(']', 7_000) + "}"));
        var deepCalls = Enumerable.Range(0, 16).Select(_ => SendAsync(client, attacker, deep)).ToList();
        // 3. A flood of legal calls at their largest.
        var largest = Encoding.UTF8.GetBytes(Call("add_task", $"{{\"title\":\"{new string('t', 200)}\",\"description\":\"{new string('d', 1000)}\"}}"));
        var flood = Enumerable.Range(0, 300).Select(_ => SendAsync(client, attacker, largest)).ToList();

        // Meanwhile another account's calls are all served.
        for (var n = 0; n < 20; n++)
        {
            var answer = await SendAsync(client, bystander, Encoding.UTF8.GetBytes(Call("list_tasks", "{}")));
            Assert.True(answer.StartsWith("200 ", StringComparison.Ordinal) && answer.Contains("\"tasks\"", StringComparison.Ordinal),
                $"the other account's call {n} was not served: {answer[..Math.Min(300, answer.Length)]}");
        }

        var hugeAnswers = await Task.WhenAll(hugeCalls);
        var deepAnswers = await Task.WhenAll(deepCalls);
        var floodAnswers = await Task.WhenAll(flood);
        // A declared length over the limit is answered 413 before the body is read; a chunked one is cut off as it
        // passes the limit (413, or a reset while the client is still sending).
        Assert.All(hugeAnswers.Where((_, n) => n % 2 == 0), a => Assert.StartsWith("413 ", a, StringComparison.Ordinal));
        Assert.All(hugeAnswers, a => Assert.True(a.StartsWith("413 ", StringComparison.Ordinal) || a.StartsWith("aborted", StringComparison.Ordinal), a));
        // Too deep for JSON (400), or refused before parsing: such a body counts as a tool call (429).
        Assert.All(deepAnswers, a => Assert.True(a.StartsWith("400 ", StringComparison.Ordinal) || a.StartsWith("429 ", StringComparison.Ordinal), a));
        Assert.All(floodAnswers, a => Assert.True(a.StartsWith("200 ", StringComparison.Ordinal) || a.StartsWith("429 ", StringComparison.Ordinal), a));

        using (var alive = await client.GetAsync("/alive"))
        {
            Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        }

        Assert.False(_server.HasExited, "the server process died");
        Assert.Equal(0, _cgroup.OomKills);
        var highWater = _cgroup.HighWaterMarkBytes;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"MCP server memory high-water mark: {highWater / 1048576.0:0.0} MiB of the manifest's {_cgroup.LimitBytes / 1048576} MiB limit " +
            $"({100.0 * highWater / _cgroup.LimitBytes:0}%); limit hits {_cgroup.LimitHits}; flood: {floodAnswers.Count(a => a.StartsWith("200 ", StringComparison.Ordinal))} served, " +
            $"{floodAnswers.Count(a => a.StartsWith("429 ", StringComparison.Ordinal))} refused with 429"));
        // Half the limit is left for what the limits do not bound (more accounts at once, the runtime's own growth).
        Assert.True(highWater < _cgroup.LimitBytes / 2, "the server used more than half of its memory limit");
    }

    /// <summary>"STATUS body" or "aborted: why" when the server closed the connection mid-request.</summary>
    private static async Task<string> SendAsync(HttpClient client, string token, byte[] body, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = chunked ? new StreamContent(new MemoryStream(body, writable: false)) : new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        else
        {
            // Lets a refusal arrive before the body is sent (RFC 9110 §10.1.1), instead of a reset mid-send.
            request.Headers.ExpectContinue = true;
        }

        try
        {
            using var response = await client.SendAsync(request);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (HttpRequestException e)
        {
            return "aborted: " + e.Message;
        }
    }

    private static string Call(string tool, string arguments) =>
        $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{{\"name\":\"{tool}\",\"arguments\":{arguments}}}}}";

    /// <summary>The MCP server's <c>resources.limits.memory</c> in the generated manifest (e.g. "384Mi").</summary>
    private static long ManifestMemoryLimitBytes()
    {
        var workload = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "aspirate-output", "mcpserver", "workload.yaml"));
        var limit = MemoryLimit().Match(workload);
        Assert.True(limit.Success, "no memory limit in aspirate-output/mcpserver/workload.yaml");
        return long.Parse(limit.Groups["mib"].Value, CultureInfo.InvariantCulture) * 1024 * 1024;
    }

    [GeneratedRegex("limits:\\s*\\n\\s*memory:\\s*\"?(?<mib>[0-9]+)Mi\"?")]
    private static partial Regex MemoryLimit();
}
