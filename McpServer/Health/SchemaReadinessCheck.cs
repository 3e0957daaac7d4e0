using Microsoft.Extensions.Diagnostics.HealthChecks;
using Phase4.Domain.Data;

namespace Phase4.Mcp.Health;

/// <summary>
/// Unhealthy until the backend has applied every migration this build knows (the MCP server never migrates).
/// Once current it stays current for this process, so later probes cost nothing; database reachability is
/// checked separately by the DbContext health check that Aspire registers.
/// </summary>
public sealed class SchemaReadinessCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public const string Name = "schema";

    private volatile bool _isCurrent;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_isCurrent)
        {
            // A database that cannot be reached throws here; the health check service reports that as unhealthy.
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TodoDbContext>();
            _isCurrent = await DatabaseSchema.IsCurrentAsync(db, cancellationToken);
        }

        return _isCurrent
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database schema is not migrated yet (the backend applies migrations).");
    }
}

public static class SchemaReadinessExtensions
{
    public static IHostApplicationBuilder AddSchemaReadinessCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SchemaReadinessCheck>();
        builder.Services.AddHealthChecks().AddCheck<SchemaReadinessCheck>(SchemaReadinessCheck.Name, timeout: TimeSpan.FromSeconds(5));
        return builder;
    }
}
