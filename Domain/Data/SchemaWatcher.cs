using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Phase4.Domain.Data;

/// <summary>
/// A serving process never migrates (<c>Backend.Api migrate</c> does, before it starts): it looks at the schema at
/// start-up, and until every migration this build knows is applied, readiness fails (and Backend.Api answers its API requests with 503).
/// Once it is, the process warms up (<see cref="IWarmUp"/>) and then reports ready.
/// Once current, it stops looking (the readiness check keeps confirming it). Its start-up
/// (<see cref="DatabaseReadiness.Started"/>) ends with the warm-up, or as soon as it finds it has to wait.
/// </summary>
internal sealed partial class SchemaWatcher(
    DatabaseConnection database,
    DatabaseReadiness readiness,
    TimeProvider time,
    WarmUps warmUps,
    ILogger<SchemaWatcher> logger) : BackgroundService
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var reported = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DatabaseSchema.IsCurrentAsync(database.Required, stoppingToken))
                {
                    LogCurrent(logger);
                    // Serving from now (a warm-up may call this process's own API), ready only once warm:
                    // readiness means ready to serve fast (IWarmUp).
                    readiness.MarkSchemaApplied();
                    await warmUps.RunAsync(stoppingToken);
                    readiness.MarkWarmedUp();
                    return;
                }

                if (!reported)
                {
                    // Expected while the migrator runs: information, not an error.
                    LogWaiting(logger);
                    reported = true;
                }

                readiness.MarkWaiting();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // An unreachable or missing database is waited for like a missing migration.
            catch (Exception e)
#pragma warning restore CA1031
            {
                var failure = e.GetType().Name;
                LogUnreachable(logger, failure);
                readiness.MarkWaiting();
            }

            await Task.Delay(delay, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is current")]
    private static partial void LogCurrent(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for the database schema: run `Backend.Api migrate` (the AppHost's and the deployments' migrator does)")]
    private static partial void LogWaiting(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database does not answer yet ({Exception}); waiting")]
    private static partial void LogUnreachable(ILogger logger, string exception);
}
