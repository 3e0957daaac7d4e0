using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// PostgreSQL stopped while writers keep creating tasks: every write is answered 201 or a quick 503 (never a 500 or a
/// hang), readiness fails meanwhile, the process survives, writes succeed again soon after the server returns, and
/// every acknowledged write is stored. (The long form: bench/fault-db-outage.sh.)
/// </summary>
public sealed class DatabaseOutageUnderLoadTests : IAsyncLifetime
{
    /// <summary>Generous for a loaded machine: two quick retries on top of a refused connection take about 2 s.</summary>
    private static readonly TimeSpan FastFailBound = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(30);

    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task Writes_during_a_database_outage_fail_fast_with_503_and_succeed_again_after_it_with_nothing_acknowledged_lost()
    {
        using var keys = new TestKeys();
        var database = await _postgres.CreateMigratedDatabaseAsync("outage_load");
        var connectionString = database.Owner;
        await using var backend = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem);
        await backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(120));
        using var user = await TestUser.CreateAsync(backend.BaseAddress);

        var acknowledged = new ConcurrentBag<string>();
        var answers = new ConcurrentBag<(HttpStatusCode Status, TimeSpan Took, bool DuringOutage)>();
        var outage = 0;
        using var stop = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var title = $"writer {writer} write {n}";
                var duringOutage = Volatile.Read(ref outage) == 1;
                var stopwatch = Stopwatch.StartNew();
                using var response = await user.Client.PostAsJsonAsync(user.Tasks, new { title });
                answers.Add((response.StatusCode, stopwatch.Elapsed, duringOutage));
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add(title);
                }
                else
                {
                    await Task.Delay(100); // a client backing off, as Retry-After asks
                }
            }
        }

        var writers = Enumerable.Range(1, 4).Select(WriteAsync).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _postgres.StopAsync();
        Volatile.Write(ref outage, 1);
        await Task.Delay(TimeSpan.FromSeconds(4));
        using (var health = await user.Client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await _postgres.StartAsync();
        Volatile.Write(ref outage, 0);
        var returned = Stopwatch.StartNew();
        var recoveredAfter = await FirstSuccessfulWriteAsync(user);
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.False(backend.HasExited, "The backend exited during the outage.");
        Assert.All(answers, answer => Assert.Contains(answer.Status, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(answers, answer => answer.DuringOutage && answer.Status == HttpStatusCode.ServiceUnavailable);
        var slowest = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).Max(a => a.Took);
        Assert.True(slowest < FastFailBound, $"The slowest 503 took {slowest}.");
        Assert.True(recoveredAfter < RecoveryBound, $"Writes recovered {recoveredAfter} after PostgreSQL returned ({returned.Elapsed} in all).");

        var stored = await StoredTasks.TitlesAsync(connectionString, user.Id);
        var lost = acknowledged.Where(title => !stored.Contains(title)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are missing: {string.Join(", ", lost.Take(5))}");
    }

    /// <summary>How long after now the first write succeeds (polling every 200 ms for up to a minute).</summary>
    private static async Task<TimeSpan> FirstSuccessfulWriteAsync(TestUser user)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < TimeSpan.FromMinutes(1))
        {
            using var response = await user.Client.PostAsJsonAsync(user.Tasks, new { title = "after the outage" });
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return stopwatch.Elapsed;
            }

            await Task.Delay(200);
        }

        return stopwatch.Elapsed;
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
