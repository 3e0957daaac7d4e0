using System.Net.Http.Json;
using System.Net;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Phase4.Domain.Data;
using Phase4.Domain.Quotas;
using Phase4.Domain.Tasks;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>No lost updates: ETags, If-Match (412) and conflicts detected while saving (409).</summary>
[Collection(SharedBackend.Name)]
public sealed class ConcurrencyTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _user = null!;

    public async Task InitializeAsync() => _user = await backend.SharedUserAsync(nameof(ConcurrencyTests));

    [Fact]
    public async Task Writes_with_the_current_ETag_in_If_Match_succeed()
    {
        var (task, etag) = await _user.CreateTaskAsync();
        var path = $"{_user.Tasks}/{(int)task["id"]!}";

        using var put = await _user.Client.SendAsync(HttpMethod.Put, path, HttpAssertions.Json("""{"title":"v2"}"""), etag);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        using var patch = await _user.Client.SendAsync(HttpMethod.Patch, path + "/complete", null, put.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        using var delete = await _user.Client.SendAsync(HttpMethod.Delete, path, null, patch.Headers.ETag!.ToString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task A_stale_If_Match_is_a_412_and_changes_nothing(string method)
    {
        var (task, staleETag) = await _user.CreateTaskAsync("original");
        var path = $"{_user.Tasks}/{(int)task["id"]!}";
        using (var edit = await _user.Client.PutAsJsonAsync(path, new { title = "edited elsewhere" }))
        {
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        }

        using var before = await _user.Client.GetAsync(path);
        var current = (await before.ReadJsonAsync()).ToJsonString();

        using var response = method switch
        {
            "PUT" => await _user.Client.SendAsync(HttpMethod.Put, path, HttpAssertions.Json("""{"title":"lost update"}"""), staleETag),
            "PATCH" => await _user.Client.SendAsync(HttpMethod.Patch, path + "/complete", null, staleETag),
            _ => await _user.Client.SendAsync(HttpMethod.Delete, path, null, staleETag),
        };

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        using var after = await _user.Client.GetAsync(path);
        Assert.Equal(current, (await after.ReadJsonAsync()).ToJsonString());
        Assert.Equal(before.Headers.ETag, after.Headers.ETag);
    }

    [Theory]
    [InlineData("*", HttpStatusCode.OK)]
    [InlineData("\"1\", CURRENT", HttpStatusCode.OK)]
    [InlineData("W/CURRENT", HttpStatusCode.PreconditionFailed)]
    [InlineData("not-an-etag", HttpStatusCode.PreconditionFailed)]
    [InlineData("\"abc\"", HttpStatusCode.PreconditionFailed)]
    [InlineData("\"1\", \"2\"", HttpStatusCode.PreconditionFailed)]
    public async Task If_Match_follows_strong_comparison(string ifMatch, HttpStatusCode expected)
    {
        var (task, etag) = await _user.CreateTaskAsync();
        var path = $"{_user.Tasks}/{(int)task["id"]!}";

        using var response = await _user.Client.SendAsync(
            HttpMethod.Put, path, HttpAssertions.Json("""{"title":"v2"}"""), ifMatch.Replace("CURRENT", etag, StringComparison.Ordinal));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task If_Match_on_a_missing_task_is_a_404()
    {
        using var response = await _user.Client.SendAsync(
            HttpMethod.Put, $"{_user.Tasks}/{int.MaxValue}", HttpAssertions.Json("""{"title":"v2"}"""), "\"1\", \"2\"");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Racing_writes_answer_only_200_or_409_and_the_task_ends_as_one_of_them()
    {
        var (task, _) = await _user.CreateTaskAsync("start");
        var path = $"{_user.Tasks}/{(int)task["id"]!}";
        var titles = Enumerable.Range(0, 12).Select(i => $"writer {i}").ToList();

        var responses = await Task.WhenAll(titles.Select(title => _user.Client.PutAsJsonAsync(path, new { title })));

        try
        {
            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            {
                await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
            }

            using var final = await _user.Client.GetAsync(path);
            Assert.Contains((string)(await final.ReadJsonAsync())["title"]!, titles);
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task A_write_that_lands_between_read_and_save_makes_the_update_a_conflict()
    {
        var id = (int)(await _user.CreateTaskAsync("original")).Task["id"]!;
        await using var db = CreateContext(new WriteJustBeforeSave(backend.ConnectionString, id));
        var service = new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions()));

        var outcome = await service.UpdateAsync(_user.Id, id, TaskEdit.Replace("mine", null), expectedVersion: null, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Conflict, outcome.Kind);
        using var fetched = await _user.Client.GetAsync($"{_user.Tasks}/{id}");
        Assert.Equal("concurrent writer", (string)(await fetched.ReadJsonAsync())["title"]!);
    }

    [Fact]
    public async Task A_write_that_lands_between_read_and_delete_makes_the_delete_a_conflict()
    {
        var id = (int)(await _user.CreateTaskAsync("original")).Task["id"]!;
        await using var db = CreateContext(new WriteJustBeforeSave(backend.ConnectionString, id));
        var service = new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions()));

        var outcome = await service.DeleteAsync(_user.Id, id, expectedVersion: null, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.Conflict, outcome.Kind);
        using var fetched = await _user.Client.GetAsync($"{_user.Tasks}/{id}");
        Assert.Equal(HttpStatusCode.OK, fetched.StatusCode);
    }

    [Fact]
    public async Task The_domain_refuses_a_stale_expected_version()
    {
        var (task, etag) = await _user.CreateTaskAsync("original");
        var id = (int)task["id"]!;
        await using var db = CreateContext();
        var stale = uint.Parse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture) - 1;

        var outcome = await new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions())).SetCompletedAsync(_user.Id, id, true, stale, CancellationToken.None);

        Assert.Equal(TaskOutcomeKind.VersionMismatch, outcome.Kind);
    }

    private TodoDbContext CreateContext(params IInterceptor[] interceptors) => TodoContexts.Create(backend.ConnectionString, interceptors);

    /// <summary>Another session rewrites the task after the service has read it and just before it saves.</summary>
    private sealed class WriteJustBeforeSave(string connectionString, int taskId) : SaveChangesInterceptor
    {
        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("UPDATE tasks SET title = 'concurrent writer' WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", taskId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(cancellationToken));
            return result;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
