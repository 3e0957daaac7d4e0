using Microsoft.Extensions.Diagnostics.HealthChecks;
using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>Readiness: the database answers and has every migration this build knows.</summary>
internal sealed class DatabaseHealthCheck(DatabaseReadiness readiness, DatabaseConnection database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!readiness.SchemaApplied)
        {
            return HealthCheckResult.Unhealthy("The database schema is not current yet (the migrator applies it).");
        }

        return await DatabaseSchema.IsCurrentAsync(database.Required, cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database schema is behind this build.");
    }
}
