using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>Migrations run in the background at start-up: concurrently safe, creating the database, retrying.</summary>
public sealed class MigrationStartupTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TestKeys _keys = new();

    [Fact]
    public async Task Two_backends_starting_together_on_a_missing_database_create_and_migrate_it_once()
    {
        var connectionString = postgres.ConnectionString("fresh_" + Guid.NewGuid().ToString("N")[..12]);
        await using var first = BackendFixture.StartBackend(connectionString, _keys.PrivateKeyPem);
        await using var second = BackendFixture.StartBackend(connectionString, _keys.PrivateKeyPem);

        await Task.WhenAll(first.WaitUntilHealthyAsync(), second.WaitUntilHealthyAsync());

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT migration_id) FROM \"__EFMigrationsHistory\"", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            Assert.True(reader.GetInt64(0) >= 1);
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }

        // Both serve the same data and accept each other's tokens (same key).
        using var user = await TestUser.CreateAsync(first.BaseAddress);
        await user.CreateTaskAsync("made through the first");
        using var viaSecond = new HttpClient { BaseAddress = second.BaseAddress };
        viaSecond.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        using var list = await viaSecond.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Single((await list.ReadJsonAsync()).AsArray());
    }

    [Fact]
    public async Task Until_PostgreSQL_is_up_liveness_passes_readiness_fails_and_requests_get_503_then_it_catches_up()
    {
        // A server that does not run yet: the backend must start anyway and keep retrying.
        await using var later = new LateServer();
        var connectionString = later.Server.ConnectionString("appears_later");
        await using var backend = BackendFixture.StartBackend(connectionString, _keys.PrivateKeyPem);

        await backend.WaitUntilHealthyAsync("/alive");
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

        await backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(90));
        using var user = await TestUser.CreateAsync(backend.BaseAddress);
        using var list = await user.Client.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task Development_without_a_key_signs_with_an_ephemeral_key_and_warns()
    {
        await using var backend = BackendFixture.StartBackend(await postgres.CreateDatabaseAsync("dev"), signingKey: null,
            new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        await backend.WaitUntilHealthyAsync();
        using var user = await TestUser.CreateAsync(backend.BaseAddress);
        using var list = await user.Client.GetAsync(user.Tasks);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains("ephemeral development key", backend.Output, StringComparison.Ordinal);
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
