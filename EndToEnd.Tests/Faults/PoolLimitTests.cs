using System.Collections.Concurrent;
using System.Net;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// <c>Database:MaxPoolSize</c>, which the deployments set from their connection budget, bounds the connections one
/// backend opens however many requests it has in progress: requests beyond the pool wait for a connection, and those
/// that cannot get one in time are answered 503 with Retry-After, never 500. (Without it, 40 concurrent requests opened
/// about 40 connections: Npgsql's default pool is 100 per process. bench/saturation.sh shows the same at full scale.)
/// </summary>
public sealed class PoolLimitTests : IAsyncLifetime
{
    private const int PoolSize = 3;
    private const int Concurrency = 40;

    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task Forty_concurrent_requests_never_hold_more_connections_than_the_pool_size()
    {
        using var keys = new TestKeys();
        var database = await _postgres.CreateMigratedDatabaseAsync("pool");
        var name = new NpgsqlConnectionStringBuilder(database.Owner).Database;
        await using var backend = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem, new() { ["Database__MaxPoolSize"] = $"{PoolSize}" });
        await backend.WaitUntilHealthyAsync();
        var users = new List<TestUser>();
        for (var i = 0; i < 4; i++)
        {
            var user = await TestUser.CreateAsync(backend.BaseAddress);
            users.Add(user);
            await user.CreateTaskAsync();
        }

        var statuses = new ConcurrentBag<(HttpStatusCode Status, bool RetryAfter)>();
        var peak = 0;
        await using (var observer = new NpgsqlConnection(database.Owner))
        {
            await observer.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE usename = $1 AND datname = $2", observer);
            count.Parameters.Add(new NpgsqlParameter { Value = Migrator.BackendRole });
            count.Parameters.Add(new NpgsqlParameter { Value = name });
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
            var load = Enumerable.Range(0, Concurrency).Select(n => Task.Run(async () =>
            {
                var user = users[n % users.Count];
                while (!stop.IsCancellationRequested)
                {
                    using var response = await user.Client.GetAsync(user.Tasks + "?status=all", CancellationToken.None);
                    statuses.Add((response.StatusCode, response.Headers.RetryAfter is not null));
                }
            })).ToList();
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
                await Task.Delay(20);
            }

            await Task.WhenAll(load);
        }

        users.ForEach(user => user.Dispose());
        Assert.InRange(peak, 1, PoolSize);
        Assert.Contains(statuses, answer => answer.Status == HttpStatusCode.OK);
        Assert.All(statuses, answer => Assert.True(
            answer.Status == HttpStatusCode.OK || (answer.Status == HttpStatusCode.ServiceUnavailable && answer.RetryAfter),
            $"{answer.Status} (Retry-After: {answer.RetryAfter})"));
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
