using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Phase4.Tests.Api;

/// <summary>
/// Readiness is logged when it changes, at the level the change deserves: starting and draining are expected states
/// (Information or nothing), losing readiness or never reaching it is an error.
/// </summary>
public sealed class ReadinessLogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ShutdownState _shutdown = new();
    private readonly RecordingLogger _logger = new();
    private readonly ReadinessLog _log;

    public ReadinessLogTests() => _log = new ReadinessLog(_time, _shutdown, _logger);

    [Fact]
    public void Unready_while_starting_is_information_then_ready_then_a_loss_is_an_error()
    {
        _log.Observe(Unready("The database schema is not current yet."));
        _log.Observe(Ready());
        _log.Observe(Unready("The database schema is behind this build."));

        Assert.Equal(
        [
            (LogLevel.Information, "Not ready yet (starting): database Unhealthy: The database schema is not current yet."),
            (LogLevel.Information, "Ready"),
            (LogLevel.Error, "No longer ready: database Unhealthy: The database schema is behind this build."),
        ], _logger.Entries);
    }

    [Fact]
    public void The_same_state_probed_again_is_logged_once()
    {
        _log.Observe(Unready("Not yet."));
        _log.Observe(Unready("Not yet."));
        _log.Observe(Ready());
        _log.Observe(Ready());

        Assert.Equal([LogLevel.Information, LogLevel.Information], _logger.Entries.Select(entry => entry.Level));
    }

    [Fact]
    public void Still_unready_after_the_startup_allowance_is_an_error()
    {
        _log.Observe(Unready("Not yet."));
        _time.Advance(ReadinessLog.StartupAllowance);
        _log.Observe(Unready("Not yet."));

        Assert.Equal((LogLevel.Error, "Not ready 60 s after starting: database Unhealthy: Not yet."), _logger.Entries[^1]);
    }

    [Fact]
    public void Unready_while_draining_on_shutdown_is_not_logged()
    {
        _log.Observe(Ready());
        _shutdown.BeginDraining();
        _log.Observe(Unready("Shutting down"));

        Assert.Equal([(LogLevel.Information, "Ready")], _logger.Entries);
    }

    [Fact]
    public void A_failed_check_is_described_by_its_exception_type_never_its_message()
    {
        var failure = new NpgsqlException("Host=db.internal;Password=hunter2 refused");
        _log.Observe(new HealthReport(new Dictionary<string, HealthReportEntry>
        {
            ["database"] = new(HealthStatus.Unhealthy, "A timeout occurred while running check.", TimeSpan.Zero, failure, null),
            ["self"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null),
        }, TimeSpan.Zero));

        var (_, message) = Assert.Single(_logger.Entries);
        Assert.Equal("Not ready yet (starting): database Unhealthy: A timeout occurred while running check. (NpgsqlException)", message);
    }

    private static HealthReport Ready() => new(new Dictionary<string, HealthReportEntry>
    {
        ["database"] = new(HealthStatus.Healthy, null, TimeSpan.Zero, null, null),
    }, TimeSpan.Zero);

    private static HealthReport Unready(string description) => new(new Dictionary<string, HealthReportEntry>
    {
        ["database"] = new(HealthStatus.Unhealthy, description, TimeSpan.Zero, null, null),
    }, TimeSpan.Zero);

    private sealed class RecordingLogger : ILogger<ReadinessLog>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
