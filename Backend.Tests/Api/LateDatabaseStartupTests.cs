using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// A backend started before its database server: alive at once, its start-up over (<c>/started</c>, the startup probe,
/// so Kubernetes does not restart it) as soon as it finds it must wait, ready once the migrator has run.
/// </summary>
public sealed class LateDatabaseStartupTests : IDisposable
{
    private readonly TestKeys _keys = new();

    [Fact]
    public async Task Until_PostgreSQL_is_up_liveness_passes_readiness_fails_and_requests_get_503_then_it_catches_up()
    {
        // A server that does not run yet: the backend must start anyway and keep retrying.
        await using var later = new LateServer();
        var connectionString = later.Server.ConnectionString("appears_later");
        await using var backend = BackendFixture.StartBackend(MigratedDatabase.For(connectionString).Backend, _keys.PrivateKeyPem);

        await backend.WaitUntilHealthyAsync("/started", TimeSpan.FromSeconds(30));
        using var client = new HttpClient { BaseAddress = backend.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        using (var register = await client.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = "long enough" }))
        {
            await register.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(register.Headers.RetryAfter);
        }

        await later.Server.InitializeAsync();
        await Migrator.MigrateAsync(connectionString);

        await backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(90));
        using var user = await TestUser.CreateAsync(backend.BaseAddress);
        using var list = await user.Client.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    public void Dispose() => _keys.Dispose();

    /// <summary>A PostgreSQL server whose port is known before it is initialised and started.</summary>
    private sealed class LateServer : IAsyncDisposable
    {
        public PostgresServer Server { get; } = new();

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Server.DisposeAsync();
            }
            catch (DirectoryNotFoundException)
            {
                // Never initialised: nothing to clean up.
            }
        }
    }
}
