using System.Reflection;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Phase4.Domain.Data;

/// <summary>
/// Asks the database whether every migration this build knows has been applied. Plain Npgsql on one pooled connection:
/// readiness probes call this, and at start-up it runs before anything else needs EF Core, so building EF Core's
/// services and history model here cost about a sixth of the time to ready (docs/benchmarks.md).
/// <c>Api/DatabaseSchemaTests</c> holds it to what EF Core's migrator reports.
/// </summary>
public static class DatabaseSchema
{
    /// <summary>EF Core's history table and column, as named under the snake_case convention.</summary>
    private const string AppliedMigrationsSql = "SELECT migration_id FROM \"__EFMigrationsHistory\"";

    /// <summary>The ids of this build's migrations, found the way EF Core finds them: by their attributes.</summary>
    public static IReadOnlySet<string> KnownMigrations { get; } = typeof(TodoDbContext).Assembly.GetTypes()
        .Where(type => type.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(TodoDbContext))
        .Select(type => type.GetCustomAttribute<MigrationAttribute>()?.Id)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// True when every known migration is recorded as applied; false when some is not or the history table does not
    /// exist yet. An unreachable server or a missing database throws.
    /// </summary>
    public static async Task<bool> IsCurrentAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(AppliedMigrationsSql, connection);
        var applied = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return false;
        }

        return applied.IsSupersetOf(KnownMigrations);
    }
}
