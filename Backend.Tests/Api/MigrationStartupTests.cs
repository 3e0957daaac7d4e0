using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// Migrations are a step of their own (<c>Backend.Api migrate</c>): two migrators at once on a missing database create
/// and migrate it once; a serving backend never migrates, and refuses traffic until the migrator has run.
/// </summary>
public sealed class MigrationStartupTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TestKeys _keys = new();

    [Fact]
    public async Task Two_migrators_starting_together_on_a_missing_database_create_and_migrate_it_once()
    {
        var connectionString = postgres.ConnectionString("fresh_" + Guid.NewGuid().ToString("N")[..12]);

        var runs = await Task.WhenAll(Migrator.RunAsync(connectionString), Migrator.RunAsync(connectionString));

        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));
        // Run as in Production, where the services drain 5 s on shutdown: the migrator serves nothing, so it does not,
        // and the services waiting for it are not held back.
        Assert.All(runs, run => Assert.DoesNotContain("draining", run.Output, StringComparison.Ordinal));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT migration_id) FROM \"__EFMigrationsHistory\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.True(reader.GetInt64(0) >= 1);
        Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
    }

    [Fact]
    public async Task A_backend_never_migrates_it_answers_503_until_the_migrator_has_run_then_serves()
    {
        var owner = await postgres.CreateDatabaseAsync("unmigrated");
        await using var backend = BackendFixture.StartBackend(MigratedDatabase.For(owner).Backend, _keys.PrivateKeyPem);
        await backend.WaitUntilHealthyAsync("/alive");
        using var client = new HttpClient { BaseAddress = backend.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        // Long enough for a backend that migrated on its own to have done so.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        using (var register = await client.PostAsync("/api/auth/register", JsonContent.Create(new { email = TestUser.NewEmail(), password = "long enough" })))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, register.StatusCode);
        }

        Assert.Equal(0, await CountTablesAsync(owner));

        await Migrator.MigrateAsync(owner);
        await backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(60));
        using var user = await TestUser.CreateAsync(backend.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, (await user.Client.GetAsync(user.Tasks)).StatusCode);
    }

    [Fact]
    public async Task Without_a_database_server_the_migrator_gives_up_after_its_timeout_and_exits_1()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=nowhere;Timeout=1";

        var (exitCode, output) = await Migrator.RunAsync(unreachable, new Dictionary<string, string?> { ["Database__Timeout"] = "00:00:03" });

        Assert.Equal(1, exitCode);
        Assert.Contains("could not be migrated within 3 s", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Database__Roles__Backend__Name", "Robert'); DROP TABLE users;--", "Database:Roles:Backend:Name")]
    [InlineData("Database__Timeout", "-00:00:01", "Database:Timeout")]
    public async Task Bad_settings_are_refused_before_anything_is_touched_naming_the_key(string key, string value, string named)
    {
        var (exitCode, output) = await Migrator.RunAsync(postgres.ConnectionString("untouched"), new Dictionary<string, string?> { [key] = value });

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output, StringComparison.Ordinal);
    }

    public void Dispose() => _keys.Dispose();

    private static async Task<long> CountTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
