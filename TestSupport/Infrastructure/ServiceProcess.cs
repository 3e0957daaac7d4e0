using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Phase4.Tests.Infrastructure;

/// <summary>
/// One of our services (Backend.Api, McpServer, the frontend's Node server) started as a real process, listening on a
/// free loopback port, with its console output captured. Used for real-HTTP tests, restarts and kills.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts <paramref name="project"/> (its folder name, e.g. "Backend.Api") with the given environment, from this
    /// repository's build or from <paramref name="buildDirectory"/> (another build of it).
    /// </summary>
    public static ServiceProcess Start(string project, IReadOnlyDictionary<string, string?> environment, int? port = null, string? buildDirectory = null)
    {
        var dll = Path.Combine(buildDirectory ?? BuildDirectory(project), project + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first: {dll} is missing.", dll);
        }

        var baseAddress = new Uri($"http://127.0.0.1:{port ?? FreePort.Next()}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress.ToString()]) { WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        return Start(start, environment, baseAddress);
    }

    /// <summary>Starts any command that serves on <paramref name="baseAddress"/>, with the given environment.</summary>
    public static ServiceProcess Start(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment, Uri baseAddress)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServiceProcess(Process.Start(start)!, baseAddress);
    }

    /// <summary>Polls <paramref name="path"/> until it answers 200, failing with the process output on time-out.</summary>
    public async Task WaitUntilHealthyAsync(string path = "/health", TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                // Lets the asynchronous output reader reach the end, so the message holds everything it printed.
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The service exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{BaseAddress}{path} did not become healthy:\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait for a graceful exit.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    /// <summary>Where this repository's build of <paramref name="project"/> is (the tests' configuration).</summary>
    public static string BuildDirectory(string project) => Path.Combine(RepositoryRoot.Folder, project, "bin", BuildConfiguration, "net10.0");

    public static string BuildConfiguration =>
        typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
}
