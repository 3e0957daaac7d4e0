using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Hostile;

/// <summary>
/// Replays corpus.jsonl (several hundred hostile requests: malformed and oversized bodies, wrong types, Unicode edge
/// cases, injection payloads, odd ids, forged tokens, other users' ids, forged MCP <c>user_id</c>s, oversized and deeply
/// nested MCP bodies and huge strings in every tool argument (413 before they are read), chat prompts acting
/// for someone else) against the real backend and MCP server processes on real PostgreSQL. For every case: no 5xx,
/// the victim's data untouched, and a refused request changes nothing at all; payloads meant to be stored come back
/// verbatim.
/// </summary>
public sealed class HostileInputTests(HostileFixture fixture) : IClassFixture<HostileFixture>
{
    [Fact]
    public async Task Every_corpus_case_is_answered_without_a_5xx_or_a_cross_user_effect_and_refusals_change_nothing()
    {
        var corpus = HostileCase.Load();
        Assert.True(corpus.Count >= 500, $"The corpus has only {corpus.Count} cases.");
        var myTask = (int)(await fixture.Attacker.CreateTaskAsync("attacker's own task")).Task["id"]!;
        var victimTask = (int)(await fixture.Victim.CreateTaskAsync("victim's task", "must never change")).Task["id"]!;
        using var tokens = new HostileTokens(fixture, await McpTokenAsync());
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var victimBefore = await SnapshotAsync(fixture.Victim.Id);
        var failures = new List<string>();

        foreach (var hostile in corpus)
        {
            var expand = Placeholders(myTask, victimTask);
            var before = await SnapshotAsync(null);
            using var request = Request(hostile, expand, tokens);
            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            var refused = status is >= 400 and < 500 || (hostile.Target == "mcp" && IsMcpError(text));
            var problem = Judge(hostile, status, refused);
            if (problem is null && refused && await SnapshotAsync(null) != before)
            {
                problem = "refused, yet the database changed";
            }

            if (problem is null && hostile.Expect == HostileCase.Verbatim)
            {
                problem = await VerbatimProblemAsync(hostile, expand, text);
            }

            if (problem is null && await SnapshotAsync(fixture.Victim.Id) != victimBefore)
            {
                problem = "the victim's data changed";
            }

            if (problem is not null)
            {
                failures.Add($"{hostile.Name}: {problem} (HTTP {status}: {text[..Math.Min(text.Length, 200)]})");
                victimBefore = await SnapshotAsync(fixture.Victim.Id);
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {corpus.Count} cases failed:\n" + string.Join('\n', failures));
    }

    private static string? Judge(HostileCase hostile, int status, bool refused) => hostile.Expect switch
    {
        _ when status >= 500 => "server error",
        HostileCase.Refused when !refused => "expected a refusal",
        HostileCase.TooLarge when status != 413 => "expected 413 before the body is read",
        HostileCase.Verbatim or HostileCase.Accepted when refused || status >= 300 => "expected success",
        HostileCase.Refused or HostileCase.Verbatim or HostileCase.Accepted or HostileCase.Survives or HostileCase.TooLarge => null,
        _ => $"unknown expectation '{hostile.Expect}'",
    };

    private Func<string, string> Placeholders(int myTask, int victimTask)
    {
        var me = fixture.Attacker.Id.ToString("D");
        var victim = fixture.Victim.Id.ToString("D");
        return text => text
            .Replace("\"{my_task}\"", myTask.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("\"{victim_task}\"", victimTask.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{my_task}", myTask.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{victim_task}", victimTask.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{me_upper}", me.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{me_n}", fixture.Attacker.Id.ToString("N"), StringComparison.Ordinal)
            .Replace("{victim_upper}", victim.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{me}", me, StringComparison.Ordinal)
            .Replace("{victim}", victim, StringComparison.Ordinal);
    }

    private HttpRequestMessage Request(HostileCase hostile, Func<string, string> expand, HostileTokens tokens)
    {
        var isMcp = hostile.Target == "mcp";
        var service = isMcp ? fixture.Mcp.BaseAddress : fixture.Backend.BaseAddress;
        var request = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(service, expand(hostile.Path)));
        foreach (var header in tokens.For(hostile.Token, isMcp))
        {
            request.Headers.TryAddWithoutValidation("Authorization", header);
        }

        if (isMcp)
        {
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
        }

        if (hostile.BodyBytes(expand) is { } body)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(hostile.ContentType ?? "application/json");
            // An oversized body is refused (413) before it is read, and the server may close the connection while
            // the client is still writing it (a broken pipe, no status to judge). Asking for 100-continue lets the
            // refusal arrive before the body is sent, as RFC 9110 §10.1.1 intends.
            request.Headers.ExpectContinue = body.Length > 64 * 1024;
        }

        return request;
    }

    /// <summary>A JSON-RPC error or a tool error (<c>isError: true</c>) in a JSON or server-sent-events answer.</summary>
    private static bool IsMcpError(string text) =>
        text.Contains("\"isError\":true", StringComparison.Ordinal) || text.Contains("\"error\":{", StringComparison.Ordinal);

    /// <summary>The title and description sent come back exactly, in the answer and from a fresh read.</summary>
    private async Task<string?> VerbatimProblemAsync(HostileCase hostile, Func<string, string> expand, string answer)
    {
        var sent = JsonNode.Parse(hostile.BodyBytes(expand)!)!;
        var returned = JsonNode.Parse(answer)!;
        using var stored = await fixture.Attacker.Client.GetAsync($"{fixture.Attacker.Tasks}/{(int)returned["id"]!}");
        var read = await stored.ReadJsonAsync();
        foreach (var field in new[] { "title", "description" })
        {
            if (sent[field] is { } value && ((string?)returned[field] != (string?)value || (string?)read[field] != (string?)value))
            {
                return $"{field} not returned verbatim: sent {value.ToJsonString()}, got {returned[field]?.ToJsonString()} / {read[field]?.ToJsonString()}";
            }
        }

        return null;
    }

    private async Task<string> McpTokenAsync()
    {
        using var response = await fixture.Attacker.Client.PostAsJsonAsync("/api/auth/mcp-token", new { });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.ReadJsonAsync())["access_token"]!;
    }

    /// <summary>A digest of every row the services write, or of one user's rows only.</summary>
    private async Task<string> SnapshotAsync(Guid? userId)
    {
        var owner = userId is null ? "true" : "user_id = @user";
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') FROM tasks t WHERE {owner}) || '|' || " +
            $"(SELECT count(*) || ':' || coalesce(md5(string_agg(c::text, ',' ORDER BY c.id)), '') FROM conversations c WHERE {owner}) || '|' || " +
            "(SELECT count(*) || ':' || coalesce(md5(string_agg(m::text, ',' ORDER BY m.id)), '') FROM messages m " +
            (userId is null ? "" : "WHERE m.conversation_id IN (SELECT id FROM conversations WHERE user_id = @user)") + ") || '|' || " +
            "(SELECT count(*) || ':' || coalesce(md5(string_agg(u::text, ',' ORDER BY u.id)), '') FROM users u " +
            (userId is null ? "" : "WHERE id = @user") + ")", connection);
        if (userId is { } id)
        {
            command.Parameters.AddWithValue("user", id);
        }

        return (string)(await command.ExecuteScalarAsync())!;
    }
}
