using System.Net;
using System.Net.Http.Headers;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>Every task route needs a valid REST-audience token (else 401) for the user in the path (else 403).</summary>
[Collection(SharedBackend.Name)]
public sealed class AuthenticationTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _user = null!;
    private int _taskId;

    public static TheoryData<string> BadTokens => new()
    {
        "none", "garbage", "expired", "not_yet_valid", "mcp_audience", "other_audience", "other_issuer", "other_key", "alg_none",
    };

    public async Task InitializeAsync()
    {
        _user = await backend.SharedUserAsync(nameof(AuthenticationTests));
        _taskId = (int)(await _user.CreateTaskAsync()).Task["id"]!;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Every_task_route_answers_401_to_a_missing_or_invalid_token(string kind)
    {
        var token = await BadTokenAsync(kind);
        using var client = backend.CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        foreach (var (method, path, body) in Routes(_user.Tasks, _taskId))
        {
            using var response = await client.SendAsync(method, path, body is null ? null : HttpAssertions.Json(body));
            await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }

        // Nothing was changed by any of them.
        using var check = await _user.Client.GetAsync($"{_user.Tasks}/{_taskId}");
        Assert.Equal("Buy milk", (string)(await check.ReadJsonAsync())["title"]!);
    }

    [Fact]
    public async Task Every_task_route_answers_403_for_another_users_id_in_the_path()
    {
        var other = await backend.SharedUserAsync(nameof(AuthenticationTests) + " other");

        foreach (var (method, path, body) in Routes(other.Tasks, _taskId))
        {
            using var response = await _user.Client.SendAsync(method, path, body is null ? null : HttpAssertions.Json(body));
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Theory]
    [InlineData("not-a-guid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("UPPER")]
    [InlineData("N")]
    public async Task A_user_id_that_is_not_exactly_the_tokens_subject_is_403(string form)
    {
        var userId = form switch
        {
            "UPPER" => _user.Id.ToString("D").ToUpperInvariant(),
            "N" => _user.Id.ToString("N"),
            _ => form,
        };

        foreach (var (method, path, body) in Routes($"/api/{userId}/tasks", _taskId))
        {
            using var response = await _user.Client.SendAsync(method, path, body is null ? null : HttpAssertions.Json(body));
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_token_minted_with_the_backends_key_for_the_rest_audience_is_accepted()
    {
        // The forging helper itself works: the rejections above are about the claims, not the helper.
        using var client = backend.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", backend.Keys.Mint(_user.Id.ToString("D")));

        using var response = await client.GetAsync(_user.Tasks);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static IEnumerable<(HttpMethod Method, string Path, string? Body)> Routes(string tasks, int id) =>
    [
        (HttpMethod.Get, tasks, null),
        (HttpMethod.Post, tasks, """{"title":"intruder"}"""),
        (HttpMethod.Get, $"{tasks}/{id}", null),
        (HttpMethod.Put, $"{tasks}/{id}", """{"title":"intruder"}"""),
        (HttpMethod.Patch, $"{tasks}/{id}/complete", null),
        (HttpMethod.Delete, $"{tasks}/{id}", null),
    ];

    private async Task<string?> BadTokenAsync(string kind)
    {
        var subject = _user.Id.ToString("D");
        var keys = backend.Keys;
        var now = DateTime.UtcNow;
        switch (kind)
        {
            case "none":
                return null;
            case "garbage":
                return "not.a.jwt";
            case "expired":
                return keys.Mint(subject, notBefore: now.AddHours(-2), expires: now.AddMinutes(-5));
            case "not_yet_valid":
                return keys.Mint(subject, notBefore: now.AddMinutes(10), expires: now.AddMinutes(20));
            case "mcp_audience":
                using (var minted = await _user.Client.PostAsync("/api/auth/mcp-token", null))
                {
                    return (string)(await minted.ReadJsonAsync())["access_token"]!;
                }

            case "other_audience":
                return keys.Mint(subject, audience: "someone-else");
            case "other_issuer":
                return keys.Mint(subject, issuer: "https://evil.example");
            case "other_key":
                using (var stranger = new TestKeys())
                {
                    return stranger.Mint(subject);
                }

            case "alg_none":
                return TestKeys.WithoutSignature(subject);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
