using System.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Phase4.Domain.Data;

namespace Phase4.Mcp.Health;

/// <summary>
/// Readiness: the database answers and the backend has applied every migration this build knows (the MCP server
/// never migrates). The schema is looked up until it is current, then only reachability is checked.
/// </summary>
public sealed class DatabaseReadinessCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public const string Name = "database";

    private volatile bool _schemaIsCurrent;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // An unreachable database throws here; the health check service reports that as unhealthy.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TodoDbContext>();
        if (_schemaIsCurrent)
        {
            await PingAsync(db, cancellationToken);
            return HealthCheckResult.Healthy();
        }

        _schemaIsCurrent = await DatabaseSchema.IsCurrentAsync(db.Database.GetConnectionString()!, cancellationToken);
        return _schemaIsCurrent
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database schema is not migrated yet (the backend applies migrations).");
    }

    /// <summary>One round trip on a plain connection: no EF retry strategy, so a down database fails fast.</summary>
    private static async Task PingAsync(TodoDbContext db, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        await command.ExecuteScalarAsync(cancellationToken);
    }
}

public static class DatabaseReadinessExtensions
{
    public static IHostApplicationBuilder AddDatabaseReadinessCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatabaseReadinessCheck>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadinessCheck>(DatabaseReadinessCheck.Name, timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
