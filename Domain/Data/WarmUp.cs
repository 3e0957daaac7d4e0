using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Phase4.Domain.Data;

/// <summary>
/// Work a serving process does once the schema is current and before it reports ready, so that readiness means ready
/// to serve fast: the first request on a new pod (each scale-out, each rolling update) would otherwise pay for EF
/// Core's query compilation and the JIT of its whole path (the first chat turn took 55 times a later one, issue 26).
/// Every step reads or writes nothing of any account (the empty user id has none).
/// </summary>
public interface IWarmUp
{
    /// <summary>Runs the requests' paths once; <paramref name="services"/> is a scope of its own.</summary>
    Task RunAsync(IServiceProvider services, CancellationToken cancellationToken);
}

/// <summary>Runs every <see cref="IWarmUp"/> side by side; a failure or a time-out is logged and readiness goes ahead.</summary>
internal sealed partial class WarmUps(IEnumerable<IWarmUp> warmUps, IServiceScopeFactory scopes, ILogger<WarmUps> logger)
{
    /// <summary>Readiness never waits longer than this for a warm-up (a slow database answers the first requests late, not never).</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(Limit);
        // Each on the thread pool: a warm-up's first step can run synchronously for long (EF Core's first context).
        await Task.WhenAll(warmUps.Select(warmUp => Task.Run(() => RunOneAsync(warmUp, bounded.Token), CancellationToken.None)));
    }

    private async Task RunOneAsync(IWarmUp warmUp, CancellationToken cancellationToken)
    {
        var (name, started) = (warmUp.GetType().Name, Stopwatch.GetTimestamp());
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await warmUp.RunAsync(scope.ServiceProvider, cancellationToken);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogDone(logger, name, elapsedMs);
        }
#pragma warning disable CA1031 // A warm-up is an optimisation: whatever it runs into, the service starts as it would without it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var failure = e.GetType().Name;
            LogFailed(logger, name, failure);
        }
    }

    /// <summary>What a warm-up adds to start-to-ready (docs/benchmarks.md).</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up {WarmUp} took {ElapsedMs} ms")]
    private static partial void LogDone(ILogger logger, string warmUp, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Warm-up {WarmUp} did not finish ({Exception}); serving without it")]
    private static partial void LogFailed(ILogger logger, string warmUp, string exception);
}
