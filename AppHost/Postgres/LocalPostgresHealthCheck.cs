using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Phase4.AppHost.Postgres;

/// <summary>
/// Healthy once the local server has finished starting (<see cref="PostmasterStatus"/>, as <c>pg_ctl -w</c> tells) and
/// then accepts a connection on its allocated endpoint. It never connects before the server says it is ready: every
/// connection refused while it starts would be logged at FATAL in the server's console, which on a slow machine showed
/// a red line on a clean start. The migrator waits for this, and every other resource waits for the migrator.
/// </summary>
internal sealed class LocalPostgresHealthCheck(EndpointReference endpoint, string dataDirectory) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        CheckAsync(dataDirectory, endpoint.Host, endpoint.Port, cancellationToken);

    public static async Task<HealthCheckResult> CheckAsync(string dataDirectory, string host, int port, CancellationToken cancellationToken)
    {
        var status = PostmasterStatus.Read(dataDirectory, PostmasterStatus.ProcessExists);
        if (!PostmasterStatus.IsReady(status))
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is not ready yet ({PostmasterStatus.FileName}: {status}).");
        }

        // No pooling: an idle pooled connection would hold up the server's smart shutdown when the AppHost stops.
        var connectionString = $"Host={host};Port={port};Username=postgres;Database=postgres;Timeout=3;Pooling=false";
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
