using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>A backend on its own PostgreSQL server, which this test stops and starts again.</summary>
public sealed class OutageFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        Backend = BackendFixture.StartBackend((await Postgres.CreateMigratedDatabaseAsync("outage")).Backend, Keys.PrivateKeyPem);
        await Backend.WaitUntilHealthyAsync();
    }

    public async Task DisposeAsync()
    {
        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Keys.Dispose();
    }
}

public sealed class DatabaseOutageTests(OutageFixture fixture) : IClassFixture<OutageFixture>
{
    /// <summary>"Within a few seconds": two quick retries on top of a refused connection.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task While_PostgreSQL_is_down_requests_answer_503_within_seconds_and_recover_when_it_returns()
    {
        using var user = await TestUser.CreateAsync(fixture.Backend.BaseAddress);
        var id = (int)(await user.CreateTaskAsync("survives the outage")).Task["id"]!;

        await fixture.Postgres.StopAsync();
        try
        {
            await AssertUnavailableAsync(() => user.Client.GetAsync(user.Tasks));
            await AssertUnavailableAsync(() => user.Client.GetAsync($"{user.Tasks}/{id}"));
            await AssertUnavailableAsync(() => user.Client.PostAsJsonAsync(user.Tasks, new { title = "lost?" }));
            await AssertUnavailableAsync(() => user.Client.PatchAsync($"{user.Tasks}/{id}/complete", null));
            await AssertUnavailableAsync(() => user.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = TestUser.DefaultPassword }));

            // Readiness fails (and fast); liveness does not, so Kubernetes does not restart a healthy process.
            var stopwatch = Stopwatch.StartNew();
            using (var health = await user.Client.GetAsync("/health"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            }

            Assert.True(stopwatch.Elapsed < Bound, $"/health took {stopwatch.Elapsed}");
            using (var alive = await user.Client.GetAsync("/alive"))
            {
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
            }

            // Tokens are checked without the database: a bad one is still a plain 401.
            using var anonymous = new HttpClient { BaseAddress = fixture.Backend.BaseAddress };
            using (var unauthorized = await anonymous.GetAsync(user.Tasks))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            }
        }
        finally
        {
            await fixture.Postgres.StartAsync();
        }

        await fixture.Backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(30));
        using var list = await user.Client.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var titles = (await list.ReadJsonAsync()).AsArray().Select(t => (string)t!["title"]!).ToList();
        Assert.Equal(["survives the outage"], titles);
        using var created = await user.Client.PostAsJsonAsync(user.Tasks, new { title = "after the outage" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task AssertUnavailableAsync(Func<Task<HttpResponseMessage>> send)
    {
        var stopwatch = Stopwatch.StartNew();
        using var response = await send();
        stopwatch.Stop();

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.True(stopwatch.Elapsed < Bound, $"The 503 took {stopwatch.Elapsed}");
    }
}
