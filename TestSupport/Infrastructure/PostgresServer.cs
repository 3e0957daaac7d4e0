using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Phase4.Tests.Infrastructure;

/// <summary>
/// A private, real PostgreSQL server (the locally installed binaries) in a temporary data directory on a free
/// loopback port. Tests get their own databases on it; fault tests can stop and start it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "phase4-pg-" + Guid.NewGuid().ToString("N")[..8]);

    private bool _requirePasswords;

    /// <summary>
    /// A server whose TCP connections authenticate with SCRAM (<see cref="SuperuserPassword"/> for the superuser); the
    /// default one trusts every role without a password, which is what most tests need.
    /// </summary>
    public static PostgresServer RequiringPasswords() => new() { _requirePasswords = true };

    /// <summary>With <c>requirePasswords</c>, TCP connections authenticate with SCRAM: the superuser's is this.</summary>
    public string SuperuserPassword { get; } = System.Security.Cryptography.RandomNumberGenerator.GetHexString(24);

    public int Port { get; } = FreePort.Next();

    private string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Command Timeout=15"
        + (_requirePasswords ? $";Password={SuperuserPassword}" : "");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // initdb refuses to run as root and the server user must be able to reach the directory.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_111_111);
        }

        var authentication = "-A trust";
        if (_requirePasswords)
        {
            var passwordFile = Path.Combine(_root, "superuser-password");
            await File.WriteAllTextAsync(passwordFile, SuperuserPassword);
            authentication = $"--auth-local=trust --auth-host=scram-sha-256 --pwfile={passwordFile}";
        }

        await RunAsync("initdb", $"-D {DataDirectory} -U postgres {authentication} -E UTF8 --no-sync --no-instructions");
        await StartAsync();
    }

    public Task StartAsync() =>
        RunAsync("pg_ctl", $"-D {DataDirectory} -l {Path.Combine(_root, "server.log")} -w -t 30 " +
            $"-o \"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300\" start");

    public Task StopAsync() => RunAsync("pg_ctl", $"-D {DataDirectory} -m fast -w stop");

    /// <summary>Creates an empty database with a unique name and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 17, 63)].ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Creates a database and migrates it with the real migrator, which also creates the services' roles.</summary>
    public async Task<MigratedDatabase> CreateMigratedDatabaseAsync(string prefix = "test") =>
        await Migrator.MigrateAsync(await CreateDatabaseAsync(prefix));

    public async Task DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped by a fault test.
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task RunAsync(string tool, string arguments)
    {
        var binary = Path.Combine(BinDirectory(), tool);
        var asRoot = Environment.UserName == "root";
        var start = new ProcessStartInfo(asRoot ? "runuser" : binary, asRoot ? $"-u postgres -- {binary} {arguments}" : arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    /// <summary>The newest installed server, or PG_BIN when set.</summary>
    private static string BinDirectory() =>
        Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } configured
            ? configured
            : Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin"))
                .First(Directory.Exists);
}

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
