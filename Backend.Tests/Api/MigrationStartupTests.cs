using System.Net;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>Migrations run in the background at start-up, safely when several replicas start on an empty server.</summary>
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

    public void Dispose() => _keys.Dispose();
}
