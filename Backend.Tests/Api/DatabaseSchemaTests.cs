using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using Phase4.Domain.Data;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

/// <summary>
/// Readiness and the start-up migrator ask <see cref="DatabaseSchema"/> on plain Npgsql; it must agree with EF Core's own
/// migrator, which is what actually applies the schema, on every state a database can be in.
/// </summary>
[Collection(SharedBackend.Name)]
public sealed class DatabaseSchemaTests(BackendFixture backend)
{
    [Fact]
    public async Task The_known_migrations_are_the_ones_EF_Core_finds()
    {
        await using var db = TodoContexts.Create(await backend.Postgres.CreateDatabaseAsync("schema"));

        Assert.Equal(db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(), DatabaseSchema.KnownMigrations.Order());
        Assert.NotEmpty(DatabaseSchema.KnownMigrations);
    }

    [Fact]
    public async Task An_empty_database_is_not_current_and_a_migrated_one_is()
    {
        var connectionString = await backend.Postgres.CreateDatabaseAsync("schema");
        await using var db = TodoContexts.Create(connectionString);

        Assert.False(await DatabaseSchema.IsCurrentAsync(connectionString, CancellationToken.None));

        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.True(await DatabaseSchema.IsCurrentAsync(connectionString, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_missing_a_migration_in_its_history_is_not_current()
    {
        var connectionString = await backend.Postgres.CreateDatabaseAsync("schema");
        await using var db = TodoContexts.Create(connectionString);
        await db.Database.MigrateAsync();
        var latest = DatabaseSchema.KnownMigrations.Max(StringComparer.Ordinal)!;

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM \"__EFMigrationsHistory\" WHERE migration_id = $1", connection);
            forget.Parameters.Add(new NpgsqlParameter { Value = latest });
            Assert.Equal(1, await forget.ExecuteNonQueryAsync());
        }

        Assert.Equal([latest], await db.Database.GetPendingMigrationsAsync());
        Assert.False(await DatabaseSchema.IsCurrentAsync(connectionString, CancellationToken.None));
    }

    [Fact]
    public async Task A_database_that_does_not_exist_is_an_error_not_an_answer()
    {
        var missing = backend.Postgres.ConnectionString("no_such_database_" + Guid.NewGuid().ToString("N")[..8]);

        var error = await Assert.ThrowsAsync<PostgresException>(() => DatabaseSchema.IsCurrentAsync(missing, CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.InvalidCatalogName, error.SqlState);
    }
}
