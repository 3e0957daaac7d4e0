using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Phase4.Tests.AppHost;

/// <summary>One log entry of the AppHost: its own, or a resource's console line (category <c>AppHost.Resources.NAME</c>).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message)
{
    private const string ResourcePrefix = "AppHost.Resources.";

    /// <summary>The resource whose console printed the line, or null for the AppHost's own entries.</summary>
    public string? Resource => Category.StartsWith(ResourcePrefix, StringComparison.Ordinal) ? Category[ResourcePrefix.Length..] : null;

    public override string ToString() => $"{Resource ?? Category} [{Level}] {Message}";
}

/// <summary>
/// Collects everything the AppHost logs, its resources' console lines included (the testing builder forwards them to
/// ILogger: stdout at Information, stderr at Error).
/// </summary>
public sealed class StartLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Snapshot() => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Collector(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Collector(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception)));
            }
        }
    }
}

/// <summary>
/// What counts as an error-level entry, as a developer reading the dashboard sees it. The AppHost's own entries carry
/// their level. A resource's console line carries its level in its text: .NET's console logger (<c>fail:</c>,
/// <c>crit:</c>), PostgreSQL (<c>ERROR:</c>, <c>FATAL:</c>, <c>PANIC:</c>), JSON loggers (the frontend's
/// <c>"level":"error"</c>, the dashboard's <c>"LogLevel":"Error"</c>), npm (<c>npm error</c>). PostgreSQL and npm print
/// every message to stderr, so stderr alone is no error; but a stderr line with no recognised non-error level (a crash's
/// stack trace, say) counts as one.
/// </summary>
public static partial class ErrorLogEntries
{
    /// <summary>
    /// The health check service's per-check entries: Aspire's run mode (dashboard on) turns them off in the AppHost
    /// because resource health is shown as state, while the testing builder (dashboard off) leaves them on.
    /// </summary>
    private const string AppHostHealthCheckCategory = "Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService";

    public static bool IsError(CapturedLog entry)
    {
        if (entry.Resource is null)
        {
            return entry.Level >= LogLevel.Error && entry.Category != AppHostHealthCheckCategory;
        }

        var line = LineContent(entry.Message);
        return ErrorLevel().IsMatch(line) || (entry.Level >= LogLevel.Error && !NonErrorStderr().IsMatch(line));
    }

    /// <summary>The forwarded text is "NUMBER: CONTENT"; the content may be coloured and time-stamped.</summary>
    private static string LineContent(string message)
    {
        var content = message.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? message[(colon + 2)..] : message;
        return TimestampPrefix().Replace(AnsiEscape().Replace(content, ""), "");
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT[0-9:.]+Z\s+")]
    private static partial Regex TimestampPrefix();

    [GeneratedRegex(@"^(fail|crit): |\b(ERROR|FATAL|PANIC):\s|""level""\s*:\s*""(error|fatal)""|""LogLevel""\s*:\s*""(Error|Critical)""|^npm (error|ERR!)")]
    private static partial Regex ErrorLevel();

    /// <summary>PostgreSQL's other levels (its log line prefix ends with the level), npm's warnings, blank lines.</summary>
    [GeneratedRegex(@"\b(LOG|DETAIL|HINT|WARNING|NOTICE|INFO|DEBUG[1-5]?):\s|^npm warn |^\s*$")]
    private static partial Regex NonErrorStderr();
}
