using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Phase4.Tests.Faults;

/// <summary>
/// A rolling update onto a release with an additive migration, under read and write load: two replicas behind a
/// Service stand-in (HAProxy); the next release's first pod stays unready until its migrator has run, the current
/// build keeps serving on the migrated schema, then each replica is replaced the way a Deployment with maxSurge 1 /
/// maxUnavailable 0 does it. Not one request may fail, and every acknowledged write must be stored. (The long form,
/// with a plain restart first and the deployed preStop and drain times: bench/rolling-update.sh. Here they are
/// shorter, in the same order.)
/// </summary>
public sealed class RollingUpdateTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>How long after termination starts the endpoint leaves the Service (endpoint propagation).</summary>
    private static readonly TimeSpan EndpointLag = TimeSpan.FromSeconds(0.5);

    private static readonly TimeSpan PreStopSleep = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan DrainDelay = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    private readonly PostgresServer _postgres = new();
    private readonly string _nextReleaseDirectory = Path.Combine(Path.GetTempPath(), "phase4-next-release-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ServiceProcess> _pods = [];
    private Task<string>? _building;

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task Replacing_both_replicas_under_load_onto_a_release_with_an_additive_migration_fails_no_request_and_loses_no_write()
    {
        var stopwatch = Stopwatch.StartNew();
        _building = BuildNextReleaseAsync();
        using var keys = new TestKeys();
        var database = await _postgres.CreateMigratedDatabaseAsync("rolling");
        await using var service = await ServiceStandIn.StartAsync();

        async Task<ServiceProcess> StartPodAsync(string slot, string? build = null)
        {
            var pod = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem, new()
            {
                ["Shutdown__DrainDelay"] = DrainDelay.ToString(),
                ["Quotas__TasksPerUser"] = "100000000",
            }, build);
            _pods.Add(pod);
            await service.PointAsync(slot, pod.BaseAddress);
            return pod;
        }

        async Task AddWhenReadyAsync(string slot, ServiceProcess pod)
        {
            await pod.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(120));
            await service.AddAsync(slot);
        }

        // As the kubelet ends a pod: the endpoint goes during the preStop sleep, SIGTERM after it, then the drain.
        async Task TerminateAsync(string slot, ServiceProcess pod)
        {
            await Task.Delay(EndpointLag);
            await service.RemoveAsync(slot);
            await Task.Delay(PreStopSleep - EndpointLag);
            await pod.StopAsync(GracePeriod - PreStopSleep);
        }

        // The build takes both cores: pods started meanwhile could take longer than a request may to answer.
        var nextRelease = await _building;
        var slot1 = await StartPodAsync("slot1");
        var slot2 = await StartPodAsync("slot2");
        await AddWhenReadyAsync("slot1", slot1);
        await AddWhenReadyAsync("slot2", slot2);
        using var user = await TestUser.CreateAsync(service.BaseAddress);

        var failures = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentBag<string>();
        var answered = 0;
        var servedOnMigratedSchemaByCurrentBuild = 0;
        var currentBuildOnMigratedSchema = 0;
        using var stop = new CancellationTokenSource();

        async Task RequestAsync(Func<Task<HttpResponseMessage>> send, Action<HttpResponseMessage> onSuccess)
        {
            var onMigratedSchema = Volatile.Read(ref currentBuildOnMigratedSchema) == 1;
            try
            {
                using var response = await send();
                Interlocked.Increment(ref answered);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{response.RequestMessage?.Method} {(int)response.StatusCode}");
                    return;
                }

                onSuccess(response);
                if (onMigratedSchema && Volatile.Read(ref currentBuildOnMigratedSchema) == 1)
                {
                    Interlocked.Increment(ref servedOnMigratedSchemaByCurrentBuild);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Enqueue(e.GetType().Name + ": " + e.Message);
            }
        }

        async Task ReadAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                await RequestAsync(() => user.Client.GetAsync(user.Tasks + "?status=all&limit=50"), _ => { });
            }
        }

        async Task WriteAsync(int writer)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var title = $"writer {writer} write {n}";
                await RequestAsync(
                    () => user.Client.PostAsJsonAsync(user.Tasks, new { title }),
                    response => { if (response.StatusCode == HttpStatusCode.Created) { acknowledged.Add(title); } });
            }
        }

        var loadStarted = stopwatch.Elapsed;
        var load = new[] { ReadAsync(), ReadAsync(), WriteAsync(1), WriteAsync(2) };
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The next release's surge pod starts before its migrator has run: it must not become ready.
        var slot3 = await StartPodAsync("slot3", nextRelease);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await FirstReadinessAnswerAsync(slot3));
        var (exitCode, migratorOutput) = await Migrator.RunAsync(database.Owner, buildDirectory: nextRelease);
        Assert.True(exitCode == 0, $"The next release's migrator exited with {exitCode}:\n{migratorOutput}");
        Volatile.Write(ref currentBuildOnMigratedSchema, 1);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("UP", await service.StatusAsync("slot1"));
        Assert.Equal("UP", await service.StatusAsync("slot2"));

        await AddWhenReadyAsync("slot3", slot3);
        Volatile.Write(ref currentBuildOnMigratedSchema, 0);
        await TerminateAsync("slot1", slot1);
        var replacement = await StartPodAsync("slot1", nextRelease);
        await AddWhenReadyAsync("slot1", replacement);
        await TerminateAsync("slot2", slot2);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stop.CancelAsync();
        await Task.WhenAll(load);

        output.WriteLine($"{answered} requests answered, {failures.Count} failed; {acknowledged.Count} writes acknowledged; " +
            $"{servedOnMigratedSchemaByCurrentBuild} answered by the current build on the migrated schema; " +
            $"set-up with the next release's build {loadStarted.TotalSeconds:F0} s, rollout under load {(stopwatch.Elapsed - loadStarted).TotalSeconds:F0} s");
        Assert.True(failures.IsEmpty, $"{failures.Count} of {answered + failures.Count} requests failed: {string.Join("; ", failures.Take(5))}");
        Assert.True(servedOnMigratedSchemaByCurrentBuild > 0, "The current build answered nothing between the migration and the next release's first pod.");
        Assert.NotEmpty(acknowledged);
        var stored = await StoredTasks.TitlesAsync(database.Owner, user.Id);
        var lost = acknowledged.Where(title => !stored.Contains(title)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged writes are missing: {string.Join(", ", lost.Take(5))}");
    }

    /// <summary>The status of the pod's first answer to its readiness probe, once it listens.</summary>
    private static async Task<HttpStatusCode> FirstReadinessAnswerAsync(ServiceProcess pod)
    {
        using var client = new HttpClient { BaseAddress = pod.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await client.GetAsync("/health");
                return response.StatusCode;
            }
            catch (HttpRequestException) when (stopwatch.Elapsed < TimeSpan.FromMinutes(2) && !pod.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>
    /// This build plus one additive migration (bench/rolling-update/build-next-release.sh, shared with the bench
    /// script), in the tests' configuration; returns the folder holding its Backend.Api.dll.
    /// </summary>
    private async Task<string> BuildNextReleaseAsync()
    {
        var script = Path.Combine(RepositoryRoot.Folder, "bench", "rolling-update", "build-next-release.sh");
        var start = new ProcessStartInfo("bash", [script, ServiceProcess.BuildConfiguration, _nextReleaseDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"The next release did not build ({process.ExitCode}):\n{await errors}");
    }

    public async Task DisposeAsync()
    {
        foreach (var pod in _pods)
        {
            await pod.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        if (_building is not null)
        {
            await _building.ContinueWith(_ => { }, TaskScheduler.Default); // not deleted while it is being written
        }

        if (Directory.Exists(_nextReleaseDirectory))
        {
            Directory.Delete(_nextReleaseDirectory, recursive: true);
        }
    }
}
