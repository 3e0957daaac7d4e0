using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Phase4.Domain.Data;

/// <summary>
/// The startup probe: healthy once the process has warmed up, or has found that it waits for the database or the
/// migrator (<see cref="DatabaseReadiness.Started"/>); unhealthy while it checks the schema or warms up.
/// </summary>
internal sealed class StartupHealthCheck(DatabaseReadiness readiness) : IHealthCheck
{
    public const string Name = "startup";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.Started
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Starting: checking the database schema, then warming up."));
}
