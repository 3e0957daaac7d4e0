using System.Data.Common;
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
    /// Statements prepared on the server per pooled connection once used five times, unless the connection string
    /// says otherwise. The API runs a handful of statements over and over; prepared, PostgreSQL stops parsing and
    /// planning them on every request (about 18% more task lists per second on the benchmark, docs/benchmarks.md).
    /// Set <c>Max Auto Prepare=0</c> behind a pooler in transaction mode, which cannot keep prepared statements.
    /// </summary>
    private const int DefaultMaxAutoPrepare = 20;

    /// <summary>
    /// Pooled <see cref="TodoDbContext"/> through Aspire's integration, with time bounded end to end: short connect
    /// and command timeouts and two quick retries instead of Aspire's default (six retries up to 30 s apart), so a
    /// request fails over to 503 in seconds when the server is gone; hot statements prepared on the server.
    /// </summary>
    public static TBuilder AddDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        string? connectionString = null;
        builder.AddNpgsqlDbContext<TodoDbContext>(
            ConnectionName,
            configureSettings: settings =>
            {
                settings.DisableRetry = true;
                settings.DisableHealthChecks = true;
                settings.ConnectionString = connectionString = WithConnectionDefaults(settings.ConnectionString);
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
        return builder;
    }

    /// <summary>The serving process: waits for the schema the migrator applies, and reports it in readiness.</summary>
    public static WebApplicationBuilder AddDatabaseReadiness(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddHostedService<SchemaWatcher>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", timeout: TimeSpan.FromSeconds(3));
        return builder;
    }

    /// <summary>The connection string with this API's defaults for whatever it leaves unset.</summary>
    public static string? WithConnectionDefaults(string? connectionString)
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

        // Not compared with the default: an explicit Max Auto Prepare=0 must stay 0.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            parsed.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return parsed.ConnectionString;
    }
}
