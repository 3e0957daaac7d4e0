using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// Two backend replicas on one database under write load; one is SIGKILLed. Every create acknowledged with 201 must
/// be in the database, and the surviving replica must keep acknowledging writes. (The long form: bench/fault-replica-kill.sh.
/// The database outage under load is Faults/DatabaseOutageUnderLoadTests; the late database Api/LateDatabaseStartupTests;
/// the MCP server outage Chat/EndToEnd/ChatFaultTests.)
/// </summary>
public sealed class ReplicaKillTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task Killing_one_of_two_replicas_under_write_load_loses_no_acknowledged_write_and_the_other_keeps_serving()
    {
        using var keys = new TestKeys();
        var database = await _postgres.CreateMigratedDatabaseAsync("replicas");
        var connectionString = database.Owner;
        await using var doomed = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem);
        await using var survivor = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem);
        await Task.WhenAll(doomed.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(120)), survivor.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(120)));
        using var user = await TestUser.CreateAsync(survivor.BaseAddress);
        using var toDoomed = new HttpClient { BaseAddress = doomed.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var toSurvivor = new HttpClient { BaseAddress = survivor.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var client in new[] { toDoomed, toSurvivor })
        {
            client.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        }

        var acknowledged = new ConcurrentBag<string>();
        var survivorAfterKill = new ConcurrentBag<HttpStatusCode>();
        var killed = 0;
        using var stop = new CancellationTokenSource();

        async Task WriteAsync(int writer)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var toSurvivorNow = n % 2 == 1;
                var title = $"writer {writer} write {n}";
                var afterKill = Volatile.Read(ref killed) == 1;
                try
                {
                    using var response = await (toSurvivorNow ? toSurvivor : toDoomed).PostAsJsonAsync(user.Tasks, new { title });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(title);
                    }

                    if (toSurvivorNow && afterKill)
                    {
                        survivorAfterKill.Add(response.StatusCode);
                    }
                }
                catch (HttpRequestException) when (!toSurvivorNow)
                {
                    // The killed replica drops its connections: those writes were never acknowledged.
                }
            }
        }

        var writers = Enumerable.Range(1, 4).Select(WriteAsync).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await doomed.KillAsync();
        Volatile.Write(ref killed, 1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.NotEmpty(acknowledged);
        Assert.NotEmpty(survivorAfterKill);
        Assert.All(survivorAfterKill, status => Assert.Equal(HttpStatusCode.Created, status));
        var stored = await StoredTasks.TitlesAsync(connectionString, user.Id);
        var lost = acknowledged.Where(title => !stored.Contains(title)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are missing: {string.Join(", ", lost.Take(5))}");
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
