using System.Collections.Concurrent;
using System.Diagnostics;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Frontend;

/// <summary>
/// The frontend's Node server (<c>node server/index.js</c>, as the AppHost and the image start it) as a real process on
/// a free loopback port, with its output captured. <c>scripts/prepare.mjs</c> runs first, as in the AppHost: it
/// installs and builds <c>Frontend/</c> only when something changed.
/// </summary>
public sealed class FrontendProcess : IAsyncDisposable
{
    private static readonly string Directory = Path.Combine(ServiceProcess.RepositoryRoot, "Frontend");
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private FrontendProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<FrontendProcess> StartAsync(Uri backend, Uri mcpServer, IReadOnlyDictionary<string, string?> environment)
    {
        await PrepareAsync();
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = new ProcessStartInfo("node", ["server/index.js"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PORT"] = baseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["BACKEND_URL"] = backend.ToString();
        start.Environment["MCP_URL"] = mcpServer.ToString();
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var frontend = new FrontendProcess(Process.Start(start)!, baseAddress);
        await frontend.WaitUntilHealthyAsync();
        return frontend;
    }

    private static async Task PrepareAsync()
    {
        using var prepare = Process.Start(new ProcessStartInfo("node", ["scripts/prepare.mjs"])
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = prepare.StandardOutput.ReadToEndAsync();
        var errors = prepare.StandardError.ReadToEndAsync();
        await prepare.WaitForExitAsync();
        Assert.True(prepare.ExitCode == 0, $"scripts/prepare.mjs failed:\n{await output}\n{await errors}");
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The frontend did not become healthy:\n{Output}");
    }

    /// <summary>SIGTERM, as an orchestrator stops it: it drains, flushes its telemetry and exits.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
