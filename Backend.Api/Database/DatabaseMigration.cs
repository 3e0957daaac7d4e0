using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>
/// What <c>Backend.Api migrate</c> does, once: creates the database when it is missing, applies the EF Core migrations
/// and the runtime roles' privileges (<see cref="DatabaseAccess"/>), all under a PostgreSQL advisory lock so two
/// migrators started together (two deployments, a retried Job) run one after the other. Retries while the server is
/// unreachable, up to <see cref="MigrationOptions.Timeout"/>.
/// </summary>
internal sealed partial class DatabaseMigration(
    IServiceScopeFactory scopes,
    DatabaseConnection database,
    MigrationOptions options,
    TimeProvider time,
    ILogger<DatabaseMigration> logger)
{
    /// <summary>Arbitrary, fixed: every migrator of this app must use the same key.</summary>
    private const long MigrationLockKey = 0x7068_6173_6534; // "phase4"

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>Runs until the schema and the grants are applied (true) or the time is up (false).</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Timeout);
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateOnceAsync(deadline.Token);
                LogApplied(logger, DatabaseSchema.KnownMigrations.Count);
                return true;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                LogGaveUp(logger, options.Timeout.TotalSeconds);
                return false;
            }
#pragma warning disable CA1031 // Any failure is retried: the database may be starting, restoring or unreachable.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Only type names: exception messages can carry connection details.
                LogRetrying(logger, attempt, e.GetType().Name, e.InnerException?.GetType().Name, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, time, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                LogGaveUp(logger, options.Timeout.TotalSeconds);
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TodoDbContext>();
        await CreateDatabaseIfMissingAsync(db, cancellationToken);

        // The lock lives on its own unpooled session, held for the whole run: closing the connection ends the session
        // and so releases the lock even if this process dies mid-way (a pooled session would keep it).
        var session = new NpgsqlConnectionStringBuilder(database.Required) { Pooling = false };
        await using var connection = new NpgsqlConnection(session.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            takeLock.Parameters.AddWithValue("key", MigrationLockKey);
            takeLock.CommandTimeout = 0; // Another migrator is running: wait for it, within the overall time-out.
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        var hasHistory = await HistoryTableExistsAsync(connection, cancellationToken);
        if (hasHistory && await DatabaseSchema.IsCurrentAsync(database.Required, cancellationToken))
        {
            LogAlreadyCurrent(logger);
        }
        else
        {
            if (!hasHistory)
            {
                // A new database. Npgsql's migrator reads the history before it creates the table, and EF Core logs
                // that expected failure as an error (npgsql/efcore.pg#3407): create the table first.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            }

            await db.Database.MigrateAsync(cancellationToken);
        }

        await DatabaseAccess.ApplyAsync(connection, db.Model, options.RuntimeRoles(), cancellationToken);
    }

    /// <summary>Looked up by name (as the unqualified queries resolve it), so a missing table is no failed statement.</summary>
    private static async Task<bool> HistoryTableExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        command.Parameters.AddWithValue("table", $"\"{HistoryRepository.DefaultTableName}\"");
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    private static async Task CreateDatabaseIfMissingAsync(TodoDbContext db, CancellationToken cancellationToken)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another migrator created it a moment ago.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current ({Migrations} migrations) and the runtime roles' privileges are applied")]
    private static partial void LogApplied(ILogger logger, int migrations);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database schema was already current")]
    private static partial void LogAlreadyCurrent(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Database migration attempt {Attempt} failed ({Exception} / {Inner}); retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, int attempt, string exception, string? inner, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database could not be migrated within {Seconds} s")]
    private static partial void LogGaveUp(ILogger logger, double seconds);
}
