using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Phase4.AppHost.Postgres;

/// <summary>
/// The locally installed PostgreSQL as executable resources, for machines without a usable container runtime:
/// <c>postgres-init</c> creates a persistent data directory and the <c>tasksdb</c> database once, then <c>postgres</c> serves it on a dynamic
/// loopback port.
/// </summary>
internal static class LocalPostgres
{
    private const string ServerUser = "postgres";

    public static TasksDatabase Add(IDistributedApplicationBuilder builder)
    {
        var binDirectory = FindBinDirectory(builder.Configuration["Postgres:BinDirectory"]);
        var dataDirectory = Path.GetFullPath(builder.Configuration["Postgres:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", ".data", "postgres"));
        var runsAsRoot = Environment.UserName == "root";

        var init = builder.AddExecutable("postgres-init", "bash", builder.AppHostDirectory,
            Path.Combine(builder.AppHostDirectory, "Postgres", "init-data-directory.sh"), binDirectory, dataDirectory,
            TasksDatabaseExtensions.Name);

        string[] serverArguments =
        [
            Path.Combine(binDirectory, "postgres"), "-D", dataDirectory,
            "-c", "listen_addresses=127.0.0.1",
            // TCP only: the default socket directory may not exist or be writable here.
            "-c", "unix_socket_directories=",
        ];

        // setpriv execs the server in place (runuser would stay as a parent and SIGKILL it 2 s after a SIGTERM), so
        // stopping the AppHost gives PostgreSQL its normal shutdown.
        var server = runsAsRoot
            ? builder.AddExecutable("postgres", "setpriv", dataDirectory,
                ["--reuid=" + ServerUser, "--regid=" + ServerUser, "--init-groups", "--", .. serverArguments])
            : builder.AddExecutable("postgres", serverArguments[0], dataDirectory, serverArguments[1..]);

        // The server reads its port from PGPORT.
        server.WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT")
            .WaitForCompletion(init);

        var endpoint = server.GetEndpoint("tcp");
        var healthCheckKey = "postgres-accepts-connections";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new LocalPostgresHealthCheck(endpoint, dataDirectory), failureStatus: null, tags: null));
        server.WithHealthCheck(healthCheckKey);

        // The server's superuser owns the database; the services connect as their roles (trust authentication on
        // loopback accepts their passwords unchecked: a development database).
        var owner = builder.AddConnectionString(TasksDatabaseExtensions.Name, ReferenceExpression.Create(
            $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={ServerUser};Database={TasksDatabaseExtensions.Name}"));

        return builder.WithRoles(owner, endpoint, server);
    }

    /// <summary><c>Postgres:BinDirectory</c>, else the newest /usr/lib/postgresql/N/bin holding a server.</summary>
    private static string FindBinDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "postgres"))
                ? Path.GetFullPath(configured)
                : throw new InvalidOperationException($"Postgres:BinDirectory '{configured}' holds no 'postgres' server binary.");
        }

        const string installRoot = "/usr/lib/postgresql";
        var found = Directory.Exists(installRoot)
            ? Directory.GetDirectories(installRoot)
                .Select(version => (Version: int.TryParse(Path.GetFileName(version), out var number) ? number : 0, Bin: Path.Combine(version, "bin")))
                .Where(candidate => File.Exists(Path.Combine(candidate.Bin, "postgres")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault()
            : null;

        return found ?? throw new InvalidOperationException(
            "No local PostgreSQL server found under /usr/lib/postgresql: install it (apt-get install postgresql), " +
            "set Postgres:BinDirectory, or choose Postgres:Mode=container or external.");
    }
}
