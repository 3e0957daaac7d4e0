using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>
/// Applies migrations in the background at start-up: liveness is up at once, readiness waits for this. Retries while
/// the server is unreachable; creates the database when it is missing; several replicas starting together serialize
/// on a PostgreSQL advisory lock, so exactly one migrates and the others find the schema current.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceScopeFactory scopes,
    DatabaseConnection database,
    DatabaseReadiness readiness,
    TimeProvider time,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    /// <summary>Arbitrary, fixed: every replica of this app must use the same key.</summary>
    private const long MigrationLockKey = 0x7068_6173_6534; // "phase4"

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for another replica's migration before starting the attempt over.</summary>
    private static readonly TimeSpan LockWaitLimit = TimeSpan.FromMinutes(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await MigrateOnceAsync(stoppingToken);
                readiness.MarkSchemaApplied();
                LogApplied(logger);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure is retried: the database may be starting, restoring or unreachable.
            catch (Exception e)
#pragma warning restore CA1031
            {
                // Only type names: exception messages can carry connection details.
                LogRetrying(logger, attempt, e.GetType().Name, e.InnerException?.GetType().Name, delay.TotalSeconds);
            }

            await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async Task<bool> IsCurrentIfExistsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await DatabaseSchema.IsCurrentAsync(database.Required, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false; // The database does not exist yet: created below.
        }
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
            // Another replica created it a moment ago.
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        // The usual restart finds the schema current: one pooled connection, no EF Core, no lock session (start-up
        // time counts).
        if (await IsCurrentIfExistsAsync(cancellationToken))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TodoDbContext>();

        await CreateDatabaseIfMissingAsync(db, cancellationToken);

        // The lock lives on its own unpooled session, held for the whole migration: closing the connection ends the
        // session and so releases the lock even if this process dies mid-way (a pooled session would keep it).
        var lockSession = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        await using var lockConnection = new NpgsqlConnection(lockSession.ConnectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var takeLock = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            takeLock.Parameters.AddWithValue("key", MigrationLockKey);
            takeLock.CommandTimeout = (int)LockWaitLimit.TotalSeconds; // Another replica migrating; past this, retry.
            await takeLock.ExecuteNonQueryAsync(cancellationToken);
        }

        if (await DatabaseSchema.IsCurrentAsync(database.Required, cancellationToken))
        {
            LogAlreadyCurrent(logger);
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    private static partial void LogApplied(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another replica already migrated the database")]
    private static partial void LogAlreadyCurrent(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Database migration attempt {Attempt} failed ({Exception} / {Inner}); retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, int attempt, string exception, string? inner, double seconds);
}
