using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Phase4.Domain.Data;
using Phase4.Domain.Quotas;
using Phase4.Domain.Tasks;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>
/// The task list is hand-written SQL (the hottest read). It must return exactly what the EF Core model's own query
/// returns, so a renamed column, a changed order or a lost field (the version behind ETags) fails here, not in production.
/// </summary>
[Collection(SharedBackend.Name)]
public sealed class TaskListQueryTests(BackendFixture backend) : IAsyncLifetime
{
    private TestUser _user = null!;
    private TestUser _neighbour = null!;

    public async Task InitializeAsync()
    {
        _user = await backend.CreateUserAsync();
        _neighbour = await backend.CreateUserAsync();
        await _neighbour.CreateTaskAsync("someone else's");
        for (var i = 0; i < 7; i++)
        {
            var (task, _) = await _user.CreateTaskAsync($"task {i} ✓ <b>", description: i % 3 == 0 ? null : $"details {i}");
            if (i % 2 == 0)
            {
                using var completed = await _user.Client.PatchAsync($"{_user.Tasks}/{(int)task["id"]!}/complete", null);
                Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
            }
        }
    }

    public Task DisposeAsync()
    {
        _user.Dispose();
        _neighbour.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(TaskStatusFilter.All, 50, 0)]
    [InlineData(TaskStatusFilter.All, 3, 0)]
    [InlineData(TaskStatusFilter.All, 3, 5)]
    [InlineData(TaskStatusFilter.All, 3, 7)]
    [InlineData(TaskStatusFilter.Pending, 50, 0)]
    [InlineData(TaskStatusFilter.Pending, 2, 1)]
    [InlineData(TaskStatusFilter.Completed, 50, 0)]
    [InlineData(TaskStatusFilter.Completed, 2, 3)]
    public async Task The_list_returns_what_the_EF_Core_model_returns(TaskStatusFilter filter, int limit, int offset)
    {
        await using var db = CreateContext();

        var listed = await new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions())).ListAsync(_user.Id, filter, limit, offset, CancellationToken.None);

        var expected = await db.Tasks.AsNoTracking()
            .Where(t => t.UserId == _user.Id)
            .Where(t => filter == TaskStatusFilter.All || t.Completed == (filter == TaskStatusFilter.Completed))
            .OrderByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id)
            .Skip(offset).Take(limit)
            .Select(t => new TaskView(t.Id, t.UserId, t.Title, t.Description, t.Completed, t.CreatedAt, t.UpdatedAt, t.Version))
            .ToListAsync();
        Assert.Equal(expected, listed);
        Assert.Equal(Math.Min(limit, Math.Max(0, CountFor(filter) - offset)), listed.Count);
        Assert.All(listed, task => Assert.NotEqual(0u, task.Version));
    }

    [Fact]
    public async Task Tasks_created_in_the_same_instant_come_newest_id_first()
    {
        await using var db = CreateContext();
        var instant = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var sameInstant = await db.Tasks.Where(t => t.UserId == _user.Id).OrderBy(t => t.Id).Take(3).ToListAsync();
        sameInstant.ForEach(task => task.CreatedAt = instant);
        await db.SaveChangesAsync();

        var listed = await new TaskService(db, TimeProvider.System, Options.Create(new QuotaOptions())).ListAsync(_user.Id, TaskStatusFilter.All, 3, 0, CancellationToken.None);

        Assert.Equal(sameInstant.Select(t => t.Id).Reverse(), listed.Select(t => t.Id));
        Assert.All(listed, task => Assert.Equal(instant, task.CreatedAt));
    }

    private static int CountFor(TaskStatusFilter filter) => filter switch
    {
        TaskStatusFilter.Pending => 3,
        TaskStatusFilter.Completed => 4,
        _ => 7,
    };

    private TodoDbContext CreateContext() => TodoContexts.Create(backend.ConnectionString);
}
