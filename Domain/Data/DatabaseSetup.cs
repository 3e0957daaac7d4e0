using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Phase4.Domain.Data;

/// <summary>How every process of the app reaches the database (Backend.Api, its migrator, the MCP server): one setup.</summary>
public static class DatabaseSetup
{
    public const string ConnectionName = "tasksdb";

    /// <summary>Per attempt to open a connection, unless the connection string says otherwise.</summary>
    private const int DefaultConnectTimeoutSeconds = 3;

    /// <summary>Per command, unless the connection string says otherwise.</summary>
    private const int DefaultCommandTimeoutSeconds = 10;

    /// <summary>
    /// Statements prepared on the server per pooled connection once used five times, unless the connection string
    /// says otherwise. The services run a handful of statements over and over; prepared, PostgreSQL stops parsing and
    /// planning them on every request (about 18% more task lists per second on the benchmark, docs/benchmarks.md).
    /// Set <c>Max Auto Prepare=0</c> behind a pooler in transaction mode, which cannot keep prepared statements.
    /// </summary>
    private const int DefaultMaxAutoPrepare = 20;

    /// <summary>
    /// The most connections this process's pool may open (Npgsql's <c>Max Pool Size</c>), unless the connection string
    /// says otherwise. Unset, Npgsql allows 100 per process; a deployment sets it from its connection budget (the
    /// publisher derives it from PostgreSQL's <c>max_connections</c> and the replicas at maximum, docs/database.md), so
    /// that every replica together never asks PostgreSQL for more connections than it accepts.
    /// </summary>
    public const string MaxPoolSizeKey = "Database:MaxPoolSize";

    /// <summary>
    /// Pooled <see cref="TodoDbContext"/> through Aspire's integration, with time bounded end to end: short connect
    /// and command timeouts and two quick retries, none after a time-out (<see cref="NoRetryAfterTimeout"/>), instead
    /// of Aspire's default (six retries up to 30 s apart, which would hold a request for a minute against a down
    /// database), so a request fails over in seconds when the server is gone or its path is black-holed; hot
    /// statements prepared on the server. Aspire's health check is off: readiness is <see cref="AddDatabaseReadiness"/>.
    /// </summary>
    public static TBuilder AddTodoDatabase<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        string? connectionString = null;
        var maxPoolSize = MaxPoolSize(builder.Configuration[MaxPoolSizeKey]);
        builder.AddNpgsqlDbContext<TodoDbContext>(
            ConnectionName,
            configureSettings: settings =>
            {
                settings.DisableRetry = true;
                settings.DisableHealthChecks = true;
                settings.ConnectionString = connectionString = WithConnectionDefaults(settings.ConnectionString, maxPoolSize);
            },
            configureDbContextOptions: options =>
            {
                TodoDbContext.ConfigureProvider(options);
                // The model as generated C# (`dotnet ef dbcontext optimize`, Data/CompiledModel) instead of built from
                // OnModelCreating on first use: that build sat on the path to readiness (the warm-up's first query, issue
                // 26). CompiledModelTests fails when the generated model is out of date with OnModelCreating.
                options.UseModel(CompiledModel.TodoDbContextModel.Instance);
                // Contexts are per request and never shared between concurrent tasks; the check costs an AsyncLocal
                // write per row read (17% of a task list's allocations, docs/benchmarks.md).
                options.EnableThreadSafetyChecks(false);
                options.UseNpgsql(npgsql => npgsql.ExecutionStrategy(dependencies =>
                    new NoRetryAfterTimeout(dependencies, maxRetryCount: 2, maxRetryDelay: TimeSpan.FromSeconds(1))));
            });

        builder.Services.AddSingleton(new DatabaseConnection(connectionString));
        return builder;
    }

    /// <summary>
    /// A serving process: waits for the schema the migrator applies (<see cref="SchemaWatcher"/>), warms up the task
    /// operations' queries and whatever else the service registers (<see cref="IWarmUp"/>), and reports it and the
    /// database's reachability in readiness (<see cref="DatabaseHealthCheck"/>), and the end of the start-up in checks
    /// tagged <paramref name="startedTag"/> (ServiceDefaults' startup probe, <see cref="StartupHealthCheck"/>).
    /// </summary>
    public static TBuilder AddDatabaseReadiness<TBuilder>(this TBuilder builder, string startedTag)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddSingleton<DatabaseReadiness>();
        builder.Services.AddSingleton<WarmUps>();
        builder.Services.AddSingleton<IWarmUp, Tasks.TaskWarmUp>();
        builder.Services.AddHostedService<SchemaWatcher>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, timeout: TimeSpan.FromSeconds(3))
            .AddCheck<StartupHealthCheck>(StartupHealthCheck.Name, tags: [startedTag]);
        return builder;
    }

    /// <summary>
    /// The connection string with the app's defaults for whatever it leaves unset, and <paramref name="maxPoolSize"/>
    /// (<see cref="MaxPoolSizeKey"/>) as its pool's limit unless it names one.
    /// </summary>
    public static string? WithConnectionDefaults(string? connectionString, int? maxPoolSize = null)
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

        // Npgsql 10 tries GSS (Kerberos) session encryption first on every new connection ("Prefer"), in a blocking
        // native call: where a Kerberos library is installed but not configured it holds a thread pool thread for
        // seconds per connection (DNS look-ups for a realm), which starved both services in bench/soak.sh until every
        // connection timed out (npgsql/npgsql#6555, #6655). The app authenticates with passwords: no GSS.
        if (!Names(given, "GSSENCRYPTIONMODE"))
        {
            parsed.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        // A pooled connection is handed back as it was left, without Npgsql's reset batch (SET SESSION AUTHORIZATION
        // DEFAULT; RESET ALL; ... DISCARD TEMP), one extra statement every time a connection is taken from the pool: 7
        // of a chat turn's 26 statements (issue 26). Safe because no pooled connection of the app changes session
        // state: no SET, temporary table, LISTEN or advisory lock (the migrator's lock has its own unpooled session).
        if (!Names(given, "NORESETONCLOSE"))
        {
            parsed.NoResetOnClose = true;
        }

        if (maxPoolSize is { } limit && !Names(given, "MAXPOOLSIZE", "MAXIMUMPOOLSIZE"))
        {
            parsed.MaxPoolSize = limit;
        }

        return parsed.ConnectionString;
    }

    /// <summary>Whether the connection string sets one of these keywords (any case, any spaces: "Max Pool Size", "maxpoolsize").</summary>
    private static bool Names(DbConnectionStringBuilder given, params string[] keywords) =>
        given.Keys.Cast<string>().Any(key => keywords.Contains(key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparer.Ordinal));

    /// <summary><see cref="MaxPoolSizeKey"/>'s value: unset, or a whole number from 1 to 1000 (refused at start-up otherwise).</summary>
    public static int? MaxPoolSize(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? null
        : int.TryParse(configured, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= 1000 ? size
        : throw new InvalidOperationException($"{MaxPoolSizeKey} must be a whole number from 1 to 1000 (the most connections this process opens); got '{configured}'.");
}
