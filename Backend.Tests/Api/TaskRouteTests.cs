using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

[Collection(SharedBackend.Name)]
public sealed class TaskRouteTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _user = null!;

    /// <summary>Shared by the tests that only look at their own tasks; list tests make a fresh user.</summary>
    public async Task InitializeAsync() => _user = await backend.SharedUserAsync(nameof(TaskRouteTests));

    [Fact]
    public async Task Creating_a_task_is_a_201_with_Location_ETag_and_the_task_in_snake_case()
    {
        using var response = await _user.Client.PostAsJsonAsync(_user.Tasks, new { title = "  Buy milk  ", description = "2 litres" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var task = (JsonObject)await response.ReadJsonAsync();
        Assert.Equal(
            ["completed", "created_at", "description", "id", "title", "updated_at", "user_id"],
            task.Select(p => p.Key).Order(StringComparer.Ordinal));
        var id = (int)task["id"]!;
        Assert.True(id > 0);
        Assert.Equal(_user.Id.ToString("D"), (string)task["user_id"]!);
        Assert.Equal("Buy milk", (string)task["title"]!);
        Assert.Equal("2 litres", (string)task["description"]!);
        Assert.False((bool)task["completed"]!);
        Assert.Equal((string)task["created_at"]!, (string)task["updated_at"]!);
        Assert.Equal($"{_user.Tasks}/{id}", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.ETag!.IsWeak);

        using var fetched = await _user.Client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
        Assert.Equal(task.ToJsonString(), (await fetched.ReadJsonAsync()).ToJsonString());
        Assert.Equal(response.Headers.ETag, fetched.Headers.ETag);
    }

    [Fact]
    public async Task A_task_without_a_description_has_description_null()
    {
        var (task, _) = await _user.CreateTaskAsync("No details");
        Assert.Null(task["description"]);
        Assert.True(((JsonObject)task).ContainsKey("description"));
    }

    [Fact]
    public async Task Listing_returns_a_bare_array_newest_first_filtered_by_status()
    {
        using var user = await backend.CreateUserAsync();
        var first = (int)(await user.CreateTaskAsync("first")).Task["id"]!;
        var second = (int)(await user.CreateTaskAsync("second")).Task["id"]!;
        var third = (int)(await user.CreateTaskAsync("third")).Task["id"]!;
        using (var done = await user.Client.PatchAsync($"{user.Tasks}/{second}/complete", null))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        Assert.Equal([third, second, first], await ListIdsAsync(user, ""));
        Assert.Equal([third, second, first], await ListIdsAsync(user, "?status=all"));
        Assert.Equal([third, first], await ListIdsAsync(user, "?status=pending"));
        Assert.Equal([second], await ListIdsAsync(user, "?status=completed"));
        Assert.Equal([second], await ListIdsAsync(user, "?status=COMPLETED"));
    }

    [Fact]
    public async Task Listing_pages_with_limit_and_offset()
    {
        using var user = await backend.CreateUserAsync();
        Assert.Empty(await ListIdsAsync(user, ""));
        var ids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((int)(await user.CreateTaskAsync($"task {i}")).Task["id"]!);
        }

        ids.Reverse();
        Assert.Equal(ids.Take(2), await ListIdsAsync(user, "?limit=2"));
        Assert.Equal(ids.Skip(2).Take(2), await ListIdsAsync(user, "?limit=2&offset=2"));
        Assert.Equal(ids.Skip(4), await ListIdsAsync(user, "?limit=2&offset=4"));
        Assert.Empty(await ListIdsAsync(user, "?offset=5"));
        Assert.Equal(ids, await ListIdsAsync(user, "?limit=200"));
    }

    [Fact]
    public async Task Put_replaces_title_and_description_and_changes_the_ETag()
    {
        var (task, etag) = await _user.CreateTaskAsync("old", "old details");
        var id = (int)task["id"]!;

        using var replaced = await _user.Client.PutAsJsonAsync($"{_user.Tasks}/{id}", new { title = " new " });

        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var body = await replaced.ReadJsonAsync();
        Assert.Equal("new", (string)body["title"]!);
        Assert.Null(body["description"]);
        Assert.Equal((string)task["created_at"]!, (string)body["created_at"]!);
        Assert.True(DateTimeOffset.Parse((string)body["updated_at"]!, CultureInfo.InvariantCulture) > DateTimeOffset.Parse((string)task["updated_at"]!, CultureInfo.InvariantCulture));
        Assert.NotEqual(etag, replaced.Headers.ETag!.ToString());

        using var fetched = await _user.Client.GetAsync($"{_user.Tasks}/{id}");
        Assert.Equal(body.ToJsonString(), (await fetched.ReadJsonAsync()).ToJsonString());
        Assert.Equal(replaced.Headers.ETag, fetched.Headers.ETag);
    }

    [Fact]
    public async Task Patch_complete_toggles_without_a_body_and_sets_with_one()
    {
        var id = (int)(await _user.CreateTaskAsync()).Task["id"]!;
        var path = $"{_user.Tasks}/{id}/complete";

        Assert.True(await CompletedAfterAsync(await _user.Client.PatchAsync(path, null)));
        Assert.False(await CompletedAfterAsync(await _user.Client.PatchAsync(path, null)));
        Assert.True(await CompletedAfterAsync(await _user.Client.PatchAsync(path, HttpAssertions.Json("""{"completed":true}"""))));
        Assert.True(await CompletedAfterAsync(await _user.Client.PatchAsync(path, HttpAssertions.Json("""{"completed":true}"""))));
        Assert.False(await CompletedAfterAsync(await _user.Client.PatchAsync(path, HttpAssertions.Json("""{"completed":false}"""))));
        Assert.True(await CompletedAfterAsync(await _user.Client.PatchAsync(path, HttpAssertions.Json("{}"))));
    }

    [Fact]
    public async Task Delete_is_a_204_after_which_the_task_is_gone()
    {
        var id = (int)(await _user.CreateTaskAsync()).Task["id"]!;

        using var deleted = await _user.Client.DeleteAsync($"{_user.Tasks}/{id}");
        using var fetched = await _user.Client.GetAsync($"{_user.Tasks}/{id}");
        using var again = await _user.Client.DeleteAsync($"{_user.Tasks}/{id}");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());
        await fetched.AssertProblemAsync(HttpStatusCode.NotFound);
        await again.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(id, await ListIdsAsync(_user, "?limit=200"));
    }

    [Fact]
    public async Task A_missing_task_id_is_a_404_on_every_route()
    {
        var path = $"{_user.Tasks}/{int.MaxValue}";
        using var get = await _user.Client.GetAsync(path);
        using var put = await _user.Client.PutAsJsonAsync(path, new { title = "x" });
        using var patch = await _user.Client.PatchAsync(path + "/complete", null);
        using var delete = await _user.Client.DeleteAsync(path);

        foreach (var response in new[] { get, put, patch, delete })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE tasks;--")]
    [InlineData("<script>alert('x')</script>")]
    [InlineData("<img src=x onerror=alert(1)> & \"quotes\" \\ backslash")]
    [InlineData("%_ LIKE wildcards %% and $1 placeholders")]
    [InlineData("émoji 🎉 and 漢字 and right-to-left \u202Etext")]
    public async Task Hostile_strings_are_stored_and_returned_verbatim(string text)
    {
        var (task, _) = await _user.CreateTaskAsync(text, text + "\nsecond line\twith tab");
        var id = (int)task["id"]!;

        using var fetched = await _user.Client.GetAsync($"{_user.Tasks}/{id}");
        var body = await fetched.ReadJsonAsync();
        Assert.Equal(text, (string)body["title"]!);
        Assert.Equal(text + "\nsecond line\twith tab", (string)body["description"]!);
        Assert.Contains(id, await ListIdsAsync(_user, "?limit=200"));
    }

    private static async Task<List<int>> ListIdsAsync(TestUser user, string query)
    {
        using var response = await user.Client.GetAsync(user.Tasks + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((JsonArray)await response.ReadJsonAsync()).Select(t => (int)t!["id"]!).ToList();
    }

    private static async Task<bool> CompletedAfterAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(response.Headers.ETag);
            return (bool)(await response.ReadJsonAsync())["completed"]!;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
