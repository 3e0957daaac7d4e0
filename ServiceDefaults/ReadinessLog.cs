using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Logs readiness (<c>/health</c>) when it changes, at the level the change deserves. The health check service logs
/// every unready probe as an error, the expected ones too: a service not ready yet while it starts (the schema's first
/// look, a cold first connection on a busy machine) and one draining on shutdown. Here those are Information or not
/// logged; losing readiness after being ready, or not becoming ready within <see cref="StartupAllowance"/>, is an error.
/// </summary>
internal sealed partial class ReadinessLog
{
    /// <summary>How long a starting service may stay unready before that is a failure rather than a start.</summary>
    public static readonly TimeSpan StartupAllowance = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time;
    private readonly ShutdownState _shutdown;
    private readonly ILogger<ReadinessLog> _logger;
    private readonly long _startedAt;
    private readonly Lock _gate = new();
    private bool _wasReady;
    private (LogLevel Level, string State)? _lastLogged;

    public ReadinessLog(TimeProvider time, ShutdownState shutdown, ILogger<ReadinessLog> logger)
    {
        _time = time;
        _shutdown = shutdown;
        _logger = logger;
        _startedAt = time.GetTimestamp();
    }

    /// <summary>Called with every readiness report a probe gets; logs only when the state or its level changes.</summary>
    public void Observe(HealthReport report)
    {
        if (_shutdown.IsDraining)
        {
            // Unready on purpose; DrainOnShutdown has said so.
            return;
        }

        var state = report.Status == HealthStatus.Healthy ? "ready" : Describe(report);
        lock (_gate)
        {
            var level = LevelOf(report.Status);
            if (_lastLogged == (level, state))
            {
                return;
            }

            _lastLogged = (level, state);
            if (report.Status == HealthStatus.Healthy)
            {
                _wasReady = true;
                LogReady(_logger);
            }
            else if (_wasReady)
            {
                LogLost(_logger, level, state);
            }
            else if (level < LogLevel.Error)
            {
                LogStarting(_logger, state);
            }
            else
            {
                LogNeverReady(_logger, StartupAllowance.TotalSeconds, state);
            }
        }
    }

    private LogLevel LevelOf(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => LogLevel.Information,
        _ when !_wasReady && _time.GetElapsedTime(_startedAt) < StartupAllowance => LogLevel.Information,
        HealthStatus.Degraded => LogLevel.Warning,
        _ => LogLevel.Error,
    };

    /// <summary>The checks that are not healthy, with their descriptions and exception types (never exception text, which can carry connection details).</summary>
    private static string Describe(HealthReport report) => string.Join("; ", report.Entries
        .Where(entry => entry.Value.Status != HealthStatus.Healthy)
        .OrderBy(entry => entry.Key, StringComparer.Ordinal)
        .Select(entry => $"{entry.Key} {entry.Value.Status}"
            + (entry.Value.Description is { Length: > 0 } description ? $": {description}" : "")
            + (entry.Value.Exception is { } exception ? $" ({exception.GetType().Name})" : "")));

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Not ready yet (starting): {State}")]
    private static partial void LogStarting(ILogger logger, string state);

    [LoggerMessage(Level = LogLevel.Error, Message = "Not ready {Seconds} s after starting: {State}")]
    private static partial void LogNeverReady(ILogger logger, double seconds, string state);

    [LoggerMessage(Message = "No longer ready: {State}")]
    private static partial void LogLost(ILogger logger, LogLevel level, string state);
}
