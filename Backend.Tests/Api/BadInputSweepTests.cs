using System.Net;
using System.Text;
using Npgsql;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>
/// Throws a wide set of malformed requests at every route: each must get a 4xx ProblemDetails, none a 5xx, and the
/// database must be exactly as before.
/// </summary>
[Collection(SharedBackend.Name)]
public sealed class BadInputSweepTests(BackendFixture backend)
{
    private static readonly string[] BadBodies =
    [
        "", "{", "}", "[]", "null", "true", "0", "\"x\"", "{\"title\":}", "{\"title\" \"x\"}", "{'title':'x'}",
        "{\"title\":\"x\"", "{\"title\":1e999}", "{\"title\":\"\\u0000\"}", "{\"title\":\"\\ud800\"}",
        "{\"title\":\"\\uZZZZ\"}", "{\"title\":[1,2,3]}", "{\"title\":{\"nested\":{\"deep\":[]}}}",
        "{\"title\":\"ok\",\"description\":{}}", "{\"completed\":\"true\"}", "{\"completed\":null,\"title\":[]}",
        "{\"email\":5,\"password\":[]}", "{\"email\":\"a@b.c\",\"password\":{}}",
        new string('[', 5000) + new string(']', 5000),
        "{\"title\":\"" + new string('x', 100_000) + "\"}",
        "{\"title\":\"" + new string('t', 201) + "\"}",
        "{\"title\":\"ok\",\"description\":\"" + new string('d', 1001) + "\"}",
    ];

    /// <summary>PATCH accepts no body or <c>{completed?}</c>, so its bad bodies are the ones that are not that shape.</summary>
    private static readonly string[] BadCompletionBodies =
    [
        "{", "[]", "true", "0", "\"x\"", "{\"completed\":\"true\"}", "{\"completed\":1}", "{\"completed\":{}}",
        "{\"completed\":tru}", "{\"completed\":true", new string('[', 5000) + new string(']', 5000),
        "{\"completed\":\"" + new string('x', 100_000) + "\"}",
    ];

    private static readonly string[] BadIds = ["0", "-1", "abc", "99999999999", "1.0", "0x10", "%E2%80%AE", "'%20OR%201=1", "%F0%9F%8E%89"];

    private static readonly string[] BadQueries =
        ["limit=0", "limit=x", "limit=-5", "offset=-1", "offset=1e9", "status=all%00", "status=%F0", "limit=1&limit=2"];

    [Fact]
    public async Task Malformed_requests_never_get_a_5xx_and_change_nothing()
    {
        using var user = await backend.CreateUserAsync();
        var id = (int)(await user.CreateTaskAsync("keep me", "unchanged")).Task["id"]!;
        var before = await SnapshotAsync();
        var failures = new List<string>();

        foreach (var (method, path, body, contentType) in Requests(user.Tasks, id))
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new(contentType);
            }

            using var response = await user.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
                || (path.Contains("%00", StringComparison.Ordinal) && response.Content.Headers.ContentLength == 0);
            if (status is < 400 or >= 500 || !isProblem)
            {
                var shown = body is null ? "" : body[..Math.Min(body.Length, 60)];
                failures.Add($"{method} {path} [{contentType}] {shown} → {status} {response.Content.Headers.ContentType}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
        Assert.Equal(before, await SnapshotAsync());
    }

    private static IEnumerable<(HttpMethod, string, string?, string)> Requests(string tasks, int id)
    {
        const string json = "application/json";
        foreach (var body in BadBodies)
        {
            yield return (HttpMethod.Post, tasks, body, json);
            yield return (HttpMethod.Put, $"{tasks}/{id}", body, json);
            yield return (HttpMethod.Post, "/api/auth/register", body, json);
            yield return (HttpMethod.Post, "/api/auth/login", body, json);
        }

        foreach (var body in BadCompletionBodies)
        {
            yield return (HttpMethod.Patch, $"{tasks}/{id}/complete", body, json);
        }

        foreach (var contentType in new[] { "text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded" })
        {
            yield return (HttpMethod.Post, tasks, "{\"title\":\"x\"}", contentType);
            yield return (HttpMethod.Put, $"{tasks}/{id}", "{\"title\":\"x\"}", contentType);
            yield return (HttpMethod.Post, "/api/auth/register", "{\"email\":\"a@b.co\",\"password\":\"12345678\"}", contentType);
        }

        foreach (var badId in BadIds)
        {
            yield return (HttpMethod.Get, $"{tasks}/{badId}", null, json);
            yield return (HttpMethod.Put, $"{tasks}/{badId}", "{\"title\":\"x\"}", json);
            yield return (HttpMethod.Patch, $"{tasks}/{badId}/complete", null, json);
            yield return (HttpMethod.Delete, $"{tasks}/{badId}", null, json);
        }

        foreach (var query in BadQueries)
        {
            yield return (HttpMethod.Get, $"{tasks}?{query}", null, json);
        }

        // A NUL in the path is refused by Kestrel itself, before any middleware: 400 without a body, also fine.
        yield return (HttpMethod.Get, $"{tasks}/%00", null, json);

        // Wrong methods and unknown routes are 4xx too.
        yield return (HttpMethod.Post, $"{tasks}/{id}", "{\"title\":\"x\"}", json);
        yield return (HttpMethod.Delete, tasks, null, json);
        yield return (HttpMethod.Get, "/api/auth/login", null, json);
        yield return (HttpMethod.Get, $"{tasks}/{id}/nothing-here", null, json);
    }

    /// <summary>A digest of every row of every table the API writes.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new NpgsqlConnection(backend.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t.id)), '') FROM tasks t) || '|' || " +
            "(SELECT count(*) || ':' || coalesce(md5(string_agg(u::text, ',' ORDER BY u.id)), '') FROM users u)", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
