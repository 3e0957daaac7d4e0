using System.Diagnostics;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>kubectl 1.35 and helm 4 fetched by scripts/k8s-tools.sh into .tools/k8s (never downloaded by the tests).</summary>
internal static class KubernetesTools
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Folder, ".tools", "k8s");

    public static string Kubectl => Tool(Path.Combine(Folder, "kubectl", "kubectl"));

    public static string Helm => Tool(Path.Combine(Folder, "helm", "helm"));

    /// <summary>Runs <paramref name="tool"/> and returns its standard output; a non-zero exit fails with its errors.</summary>
    public static async Task<string> RunAsync(string tool, IEnumerable<string> arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(tool)} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{await errors}");
        }

        return await output;
    }

    /// <summary>helm with its cache, config and data homes under <paramref name="workingDirectory"/> (nothing of the user's is read).</summary>
    public static Task<string> HelmAsync(IEnumerable<string> arguments, string workingDirectory)
    {
        var home = Path.Combine(workingDirectory, ".helm");
        return RunAsync(Helm, arguments, workingDirectory, new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
        });
    }

    private static string Tool(string path) => File.Exists(path)
        ? path
        : throw new InvalidOperationException($"{path} is missing: run scripts/k8s-tools.sh first (CI's .ci/run does).");
}
