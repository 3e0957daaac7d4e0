using Microsoft.EntityFrameworkCore;
using Npgsql;
using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

public static class DatabaseSetup
{
    public const string ConnectionName = "tasksdb";

    /// <summary>Per attempt to open a connection, unless the connection string says otherwise.</summary>
    private const int DefaultConnectTimeoutSeconds = 3;

    /// <summary>Per command, unless the connection string says otherwise.</summary>
    private const int DefaultCommandTimeoutSeconds = 10;

    /// <summary>
    /// Pooled <see cref="TodoDbContext"/> through Aspire's integration, with time bounded end to end: short connect
    /// and command timeouts and two quick retries instead of Aspire's default (six retries up to 30 s apart), so a
    /// request fails over to 503 in seconds when the server is gone.
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        string? connectionString = null;
        builder.AddNpgsqlDbContext<TodoDbContext>(
            ConnectionName,
            configureSettings: settings =>
            {
                settings.DisableRetry = true;
                settings.DisableHealthChecks = true;
                settings.ConnectionString = connectionString = WithBoundedTimeouts(settings.ConnectionString);
            },
            configureDbContextOptions: options =>
            {
                TodoDbContext.ConfigureProvider(options);
                // Contexts are per request and never shared between concurrent tasks; the check costs an AsyncLocal
                // write per row read (17% of a task list's allocations, docs/benchmarks.md).
                options.EnableThreadSafetyChecks(false);
                options.UseNpgsql(npgsql => npgsql.EnableRetryOnFailure(
                    maxRetryCount: 2, maxRetryDelay: TimeSpan.FromSeconds(1), errorCodesToAdd: null));
            });

        builder.Services.AddSingleton(new DatabaseConnection(connectionString));
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    private static string? WithBoundedTimeouts(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        var parsed = new NpgsqlConnectionStringBuilder(connectionString);
        var defaults = new NpgsqlConnectionStringBuilder();
        if (parsed.Timeout == defaults.Timeout)
        {
            parsed.Timeout = DefaultConnectTimeoutSeconds;
        }

        if (parsed.CommandTimeout == defaults.CommandTimeout)
        {
            parsed.CommandTimeout = DefaultCommandTimeoutSeconds;
        }

        return parsed.ConnectionString;
    }
}
