using System.Diagnostics;

namespace Phase4.Tests.Infrastructure;

/// <summary>
/// A folder of the repository with its own package.json and lock file (a Node tool a test runs): installed with
/// <c>npm ci</c> the first time, then its scripts run with node.
/// </summary>
public sealed class NodePackage(string relativeDirectory, string installedMarker)
{
    public string Directory { get; } = Path.Combine(RepositoryRoot.Folder, relativeDirectory);

    /// <summary>Installs the locked packages when <c>node_modules/{installedMarker}</c> is missing.</summary>
    public async Task EnsureInstalledAsync()
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", installedMarker)))
        {
            await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], timeout: TimeSpan.FromMinutes(3));
        }
    }

    /// <summary>Runs <paramref name="program"/> in the folder; fails the test with its output unless it exits 0.</summary>
    public async Task<string> RunAsync(
        string program, string[] arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} timed out: {await error}");
        }

        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} exited {process.ExitCode}: {await error}{await output}");
        return await output;
    }
}
