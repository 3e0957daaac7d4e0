using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>Another user's task answers exactly like a missing one, on every route, and is never changed.</summary>
[Collection(SharedBackend.Name)]
public sealed class IsolationTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _owner = null!;
    private TestUser _intruder = null!;
    private JsonNode _task = null!;
    private int _taskId;

    public async Task InitializeAsync()
    {
        _owner = await backend.CreateUserAsync();
        _intruder = await backend.SharedUserAsync(nameof(IsolationTests) + " intruder");
        _task = (await _owner.CreateTaskAsync("private", "owner only")).Task;
        _taskId = (int)_task["id"]!;
    }

    public static TheoryData<string> Routes => new() { "GET", "PUT", "PATCH", "PATCH with body", "DELETE" };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Another_users_task_answers_404_exactly_like_a_missing_one(string route)
    {
        using var foreign = await SendAsync(route, $"{_intruder.Tasks}/{_taskId}");
        using var missing = await SendAsync(route, $"{_intruder.Tasks}/{int.MaxValue}");

        var foreignProblem = await foreign.AssertProblemAsync(HttpStatusCode.NotFound);
        var missingProblem = await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((string?)missingProblem["title"], (string?)foreignProblem["title"]);
        Assert.Equal((string?)missingProblem["detail"], (string?)foreignProblem["detail"]);
        Assert.Null(foreign.Headers.ETag);

        using var check = await _owner.Client.GetAsync($"{_owner.Tasks}/{_taskId}");
        Assert.Equal(HttpStatusCode.OK, check.StatusCode);
        Assert.Equal(_task.ToJsonString(), (await check.ReadJsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task Another_users_tasks_never_appear_in_a_list_whatever_the_filter()
    {
        var own = (int)(await _intruder.CreateTaskAsync("mine")).Task["id"]!;

        foreach (var query in new[] { "", "?status=pending", "?status=completed", "?limit=200" })
        {
            using var response = await _intruder.Client.GetAsync(_intruder.Tasks + query);
            var ids = ((JsonArray)await response.ReadJsonAsync()).Select(t => (int)t!["id"]!).ToList();
            Assert.DoesNotContain(_taskId, ids);
            Assert.All(((JsonArray)await response.ReadJsonAsync()), t => Assert.Equal(_intruder.Id.ToString("D"), (string)t!["user_id"]!));
            if (query != "?status=completed")
            {
                Assert.Contains(own, ids);
            }
        }
    }

    [Fact]
    public async Task Creating_in_your_own_list_never_lands_in_another_users()
    {
        var created = (await _intruder.CreateTaskAsync("intruder's")).Task;

        Assert.Equal(_intruder.Id.ToString("D"), (string)created["user_id"]!);
        using var ownerList = await _owner.Client.GetAsync(_owner.Tasks);
        Assert.Equal([_taskId], ((JsonArray)await ownerList.ReadJsonAsync()).Select(t => (int)t!["id"]!));
    }

    private Task<HttpResponseMessage> SendAsync(string route, string path) => route switch
    {
        "GET" => _intruder.Client.GetAsync(path),
        "PUT" => _intruder.Client.PutAsJsonAsync(path, new { title = "stolen" }),
        "PATCH" => _intruder.Client.PatchAsync(path + "/complete", null),
        "PATCH with body" => _intruder.Client.PatchAsync(path + "/complete", HttpAssertions.Json("""{"completed":true}""")),
        "DELETE" => _intruder.Client.DeleteAsync(path),
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    public Task DisposeAsync()
    {
        _owner.Dispose();
        return Task.CompletedTask;
    }
}
