using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Phase4.AppHost.Postgres;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.AppHost;

/// <summary>
/// The local PostgreSQL's health check (what the migrator, and so every service, waits for) reads the server's own
/// start-up state from postmaster.pid, as <c>pg_ctl -w</c> does, and connects only once the server is ready: polled
/// from the moment the server process starts, it makes the server log no FATAL "the database system is starting up".
/// </summary>
public sealed class LocalPostgresReadinessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "phase4-pmstatus-" + Guid.NewGuid().ToString("N")[..8]);

    public LocalPostgresReadinessTests()
    {
        Directory.CreateDirectory(_root);
        // The server's user must reach the folder when the tests run as root.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_root, (UnixFileMode)0b111_111_111);
        }
    }

    [Theory]
    [InlineData(null, "not started")]
    [InlineData("{pid}\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\n", "starting")]
    [InlineData("{pid}\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nstarting\n", "starting")]
    [InlineData("{pid}\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n", "ready")]
    [InlineData("{pid}\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nstopping\n", "stopping")]
    [InlineData("{dead}\n/data\n1700000000\n5432\n\n127.0.0.1\n  1234  5678\nready   \n", "stale lock file")]
    public void The_status_is_the_lock_files_state_line_of_a_running_postmaster(string? lockFile, string expected)
    {
        if (lockFile is not null)
        {
            File.WriteAllText(Path.Combine(_root, PostmasterStatus.FileName), lockFile.Replace("{pid}", "4242", StringComparison.Ordinal).Replace("{dead}", "4343", StringComparison.Ordinal));
        }

        Assert.Equal(expected, PostmasterStatus.Read(_root, pid => pid == 4242));
    }

    [Fact]
    public async Task Polled_from_the_servers_first_instant_the_check_becomes_healthy_without_a_refused_connection()
    {
        var data = Path.Combine(_root, "data");
        var bin = BinDirectory();
        await RunToEndAsync(AsServerUser(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync", "--no-instructions"));
        var port = FreePort.Next();
        // Once before the server starts (no lock file yet: not ready), so the first poll below runs warm code. A cold
        // first poll on a busy machine (JIT) has finished after the server was already ready, and then the test saw
        // nothing of the start-up.
        Assert.Equal(HealthStatus.Unhealthy, (await LocalPostgresHealthCheck.CheckAsync(data, "127.0.0.1", port, CancellationToken.None)).Status);
        var log = new ConcurrentQueue<string>();
        // As the AppHost starts it: setpriv executes the server in place, so signals reach it.
        string[] serverCommand = [Path.Combine(bin, "postgres"), "-D", data, "-p", $"{port}", "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off"];
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. serverCommand])
            : new ProcessStartInfo(serverCommand[0], serverCommand[1..]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var server = Process.Start(start)!;
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Enqueue(e.Data); } };
        server.BeginErrorReadLine();
        server.BeginOutputReadLine();
        try
        {
            var polls = 0;
            var stopwatch = Stopwatch.StartNew();
            HealthCheckResult result;
            do
            {
                polls++;
                result = await LocalPostgresHealthCheck.CheckAsync(data, "127.0.0.1", port, CancellationToken.None);
            }
            while (result.Status != HealthStatus.Healthy && stopwatch.Elapsed < TimeSpan.FromSeconds(60));

            Assert.Equal(HealthStatus.Healthy, result.Status);
            Assert.True(polls > 1, "the check was healthy at once: nothing was polled during start-up");
            // The start-up's log, up to and just past "ready" (its lines arrive through a pipe); the shutdown below
            // logs its own FATAL lines for connections it ends, which are not the start's.
            for (var wait = 0; wait < 100 && !log.Any(line => line.Contains("ready to accept connections", StringComparison.Ordinal)); wait++)
            {
                await Task.Delay(50);
            }

            await Task.Delay(300);
            var startLog = log.ToArray();
            Assert.Contains(startLog, line => line.Contains("database system is ready to accept connections", StringComparison.Ordinal));
            Assert.DoesNotContain(startLog, line => line.Contains("FATAL", StringComparison.Ordinal) || line.Contains("ERROR", StringComparison.Ordinal));
        }
        finally
        {
            // SIGINT: a fast shutdown.
            await RunToEndAsync(new ProcessStartInfo("kill", ["-INT", $"{server.Id}"]));
            await server.WaitForExitAsync();
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static ProcessStartInfo AsServerUser(string binary, params string[] arguments)
    {
        var start = Environment.UserName == "root"
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", binary, .. arguments])
            : new ProcessStartInfo(binary, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return start;
    }

    private static async Task RunToEndAsync(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{start.FileName} {string.Join(' ', start.ArgumentList)}: {await output}{await errors}");
    }

    private static string BinDirectory() => Directory.GetDirectories("/usr/lib/postgresql")
        .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
        .Select(d => Path.Combine(d, "bin"))
        .First(Directory.Exists);
}
