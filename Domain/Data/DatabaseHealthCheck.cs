using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Phase4.Domain.Data;

/// <summary>Readiness: the database answers and has every migration this build knows.</summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness, DatabaseConnection database) : IHealthCheck
{
    public const string Name = "database";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.SchemaApplied)
        {
            return HealthCheckResult.Unhealthy("The database schema is not current yet (the migrator applies it).");
        }

        if (!readiness.WarmedUp)
        {
            return HealthCheckResult.Unhealthy("Warming up: the requests' paths run once before the first request.");
        }

        // An unreachable database throws here; the health check service reports that as unhealthy.
        return await DatabaseSchema.IsCurrentAsync(database.Required, cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database schema is behind this build.");
    }
}
