using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Phase4.AppHost.Postgres;

/// <summary>Healthy once the local server accepts a connection on its allocated endpoint.</summary>
internal sealed class LocalPostgresHealthCheck(EndpointReference endpoint) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // No pooling: an idle pooled connection would hold up the server's smart shutdown when the AppHost stops.
        var connectionString = $"Host={endpoint.Host};Port={endpoint.Port};Username=postgres;Database=postgres;Timeout=3;Pooling=false";
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (NpgsqlException e)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL does not accept connections yet.", e);
        }
    }
}
