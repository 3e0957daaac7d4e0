using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>Start-up behaviour: key checks, background migrations, readiness while the database is away.</summary>
public sealed class StartupTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
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

        // Both serve the same data and trust each other's tokens (same key).
        using var user = await TestUser.CreateAsync(first.BaseAddress);
        await user.CreateTaskAsync("made on the first");
        using var viaSecond = new HttpClient { BaseAddress = second.BaseAddress };
        viaSecond.DefaultRequestHeaders.Authorization = user.Client.DefaultRequestHeaders.Authorization;
        using var list = await viaSecond.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Single((await list.ReadJsonAsync()).AsArray());
    }

    [Fact]
    public async Task While_the_database_is_unreachable_liveness_is_up_readiness_is_not_and_requests_get_503()
    {
        // Nothing listens on this port yet: the migrator keeps retrying.
        var port = FreePort.Next();
        var connectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Database=later;Timeout=2";
        await using var backend = BackendFixture.StartBackend(connectionString, _keys.PrivateKeyPem);

        await backend.WaitUntilHealthyAsync("/alive");
        using var client = new HttpClient { BaseAddress = backend.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        using var health = await client.GetAsync("/health");
        using var register = await client.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = "long enough" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        await register.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(register.Headers.RetryAfter);
        Assert.Contains("Database migration attempt", backend.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_to_start_without_a_signing_key()
    {
        await using var backend = BackendFixture.StartBackend(await postgres.CreateDatabaseAsync("nokey"), signingKey: null);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync("/alive"));

        Assert.Contains("Jwt:SigningKey is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_an_unusable_signing_key_without_echoing_it()
    {
        const string secret = "c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LW11c3Qtbm90LWxlYWs";
        var notAKey = $"-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----";
        await using var backend = BackendFixture.StartBackend(await postgres.CreateDatabaseAsync("badkey"), notAKey);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync("/alive"));

        Assert.Contains("Jwt:SigningKey is not a usable private key", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_a_public_key_that_is_not_the_signing_keys_pair()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        await using var backend = BackendFixture.StartBackend(await postgres.CreateDatabaseAsync("mismatch"), _keys.PrivateKeyPem,
            new() { ["Jwt__PublicKey"] = other.ExportSubjectPublicKeyInfoPem() });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync("/alive"));

        Assert.Contains("Jwt:PublicKey is not the public half of Jwt:SigningKey", failure.Message, StringComparison.Ordinal);
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
}
