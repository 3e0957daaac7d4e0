using Microsoft.Extensions.Logging;

namespace Phase4.Tests.AppHost;

/// <summary>The clean-start check recognises the errors a fresh start used to log (lines as the resources printed them).</summary>
public sealed class ErrorLogEntriesTests
{
    private static CapturedLog Line(string resource, LogLevel stream, string line) => new($"AppHost.Resources.{resource}", stream, $"7: {line}");

    public static TheoryData<CapturedLog> Errors => new()
    {
        // EF Core's failed history query in the migrator, in the console logger's colours.
        Line("migrator", LogLevel.Information, "\u001b[41m\u001b[30mfail\u001b[39m\u001b[22m\u001b[49m: Microsoft.EntityFrameworkCore.Database.Command[20102]"),
        // A readiness check that timed out on a cold first connection.
        Line("mcpserver", LogLevel.Information, "2026-12-03T11:43:00.215Z fail: Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService[104]"),
        Line("postgres", LogLevel.Error, "2026-12-03 11:42:31.962 UTC [5732] FATAL:  database \"tasksdb\" does not exist"),
        Line("postgres", LogLevel.Error, "2026-12-03 11:42:33.363 UTC [5747] ERROR:  relation \"__EFMigrationsHistory\" does not exist at character 26"),
        Line("frontend", LogLevel.Information, "{\"level\":\"error\",\"time\":\"2026-12-03T11:33:05.981Z\",\"message\":\"proxy failed\"}"),
        Line("aspire-dashboard", LogLevel.Information, "{\"EventId\":0,\"LogLevel\":\"Error\",\"Category\":\"Aspire.Dashboard\"}"),
        Line("frontend-build", LogLevel.Error, "npm error code ECONNREFUSED"),
        // A crash's stack trace on stderr carries no level at all.
        Line("frontend", LogLevel.Error, "    at Object.<anonymous> (/app/server/index.js:1:7)"),
        new("Aspire.Hosting.Dcp.DcpHost", LogLevel.Error, "Failed to start a resource"),
    };

    public static TheoryData<CapturedLog> NotErrors => new()
    {
        Line("postgres", LogLevel.Error, "2026-12-03 11:32:34.666 UTC [29940] LOG:  starting PostgreSQL 15.18 (Debian 15.18-0+deb12u1)"),
        Line("frontend-build", LogLevel.Error, "npm warn EBADENGINE Unsupported engine {"),
        Line("frontend-build", LogLevel.Error, ""),
        Line("frontend", LogLevel.Information, "{\"level\":\"info\",\"message\":\"frontend listening\"}"),
        Line("backend", LogLevel.Information, "2026-12-03T12:16:53.183Z info: Microsoft.Extensions.Hosting.ReadinessLog[1]"),
        new("Aspire.Hosting.Dcp.DcpHost", LogLevel.Warning, "No trusted Aspire development certificate was found."),
        // Off in the AppHost in run mode (Aspire filters it when the dashboard is on), on under the testing builder.
        new("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.Error, "Health check backend_http_health with status Unhealthy"),
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void An_entry_at_error_level_counts(CapturedLog entry) => Assert.True(ErrorLogEntries.IsError(entry), entry.ToString());

    [Theory]
    [MemberData(nameof(NotErrors))]
    public void An_entry_below_error_level_does_not_count(CapturedLog entry) => Assert.False(ErrorLogEntries.IsError(entry), entry.ToString());
}
