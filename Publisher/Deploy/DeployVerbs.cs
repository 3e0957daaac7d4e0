using System.Diagnostics;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Deploy;

/// <summary>Runs (or, with <c>--dry-run</c>, prints) the deployment verbs' commands from the repository root.</summary>
internal sealed class DeployVerbs(RepositoryLayout repository, string outputFolder, bool dryRun, TextWriter console)
{
    private string OutputRelative => repository.Relative(outputFolder);

    public async Task<int> BuildAsync(KubernetesApp app, string? engine, string tag)
    {
        foreach (var command in DeployCommands.Build(app, engine ?? DetectEngine(), tag))
        {
            await RunAsync(command);
        }

        return 0;
    }

    public async Task<int> ApplyAsync(KubernetesApp app, string overlay, string tag)
    {
        var missing = SecretFiles.Paths(app).Where(path => !File.Exists(Path.Combine(outputFolder, path))).ToList();
        if (missing.Count > 0)
        {
            // New secrets only for an empty cluster: Postgres keeps the password it was initialised with.
            var claim = dryRun ? "" : (await CaptureAsync(DeployCommands.CheckForData(app))).Trim();
            Print(DeployCommands.CheckForData(app));
            if (claim.Length > 0)
            {
                await console.WriteLineAsync($"{claim} exists but {string.Join(", ", missing)} is missing: restore the secret files the database was created with, or `destroy --purge` first.");
                return 1;
            }

            await console.WriteLineAsync($"create {string.Join(", ", missing.Select(path => $"{OutputRelative}/{path}"))} (random Postgres password, new JWT key pair, AI key from the environment)");
            if (!dryRun)
            {
                var values = InputValues.CreateMissing(app.Inputs, new Dictionary<string, string>(), Environment.GetEnvironmentVariable);
                SecretFiles.Write(app, outputFolder, values);
            }
        }

        var tagged = Path.Combine(outputFolder, DeployCommands.ApplyFolder, overlay, "kustomization.yaml");
        await console.WriteLineAsync($"write {repository.Relative(tagged)} (images tagged {tag})");
        if (!dryRun)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(tagged)!);
            await File.WriteAllTextAsync(tagged, DeployCommands.TaggedKustomization(app, overlay, tag));
        }

        foreach (var command in DeployCommands.Apply(app, OutputRelative, overlay))
        {
            await RunAsync(command);
        }

        if (DeployCommands.Url(app, overlay) is { Length: > 0 } url)
        {
            await RunAsync(url);
        }
        else if (app.EntryPoint is not null)
        {
            await console.WriteLineAsync($"open https://{KustomizeWriter.ProductionHost} (the Ingress host; edit overlays/production/ingress.yaml for yours)");
        }

        return 0;
    }

    public async Task<int> DestroyAsync(bool purge)
    {
        foreach (var command in DeployCommands.Destroy(purge))
        {
            await RunAsync(command);
        }

        if (!purge)
        {
            await console.WriteLineAsync("The database volume is kept; `destroy --purge` deletes it with the namespace.");
        }

        return 0;
    }

    /// <summary>The commit, with <c>-dirty</c> when the work tree has changes, as the image tag.</summary>
    public static string CommitTag(RepositoryLayout repository)
    {
        var commit = Capture(repository.Root, ["git", "rev-parse", "--short=12", "HEAD"]).Trim();
        var dirty = Capture(repository.Root, ["git", "status", "--porcelain", "--untracked-files=no"]).Trim().Length > 0;
        return dirty ? commit + "-dirty" : commit;
    }

    /// <summary>docker or podman when on the PATH, else Minikube's own image builder.</summary>
    private static string DetectEngine() => LocalEngines.FirstOrDefault(OnPath) ?? "minikube";

    private static readonly string[] LocalEngines = ["docker", "podman"];

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(folder => File.Exists(Path.Combine(folder, program)));

    private void Print(string[] command) => console.WriteLine("$ " + string.Join(' ', command.Select(Quote)));

    private async Task RunAsync(string[] command)
    {
        Print(command);
        if (dryRun)
        {
            return;
        }

        using var process = Process.Start(Start(repository.Root, command, redirect: false))!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command[0]} failed ({process.ExitCode}).");
        }
    }

    private Task<string> CaptureAsync(string[] command) => Task.Run(() => Capture(repository.Root, command));

    private static string Capture(string folder, string[] command)
    {
        using var process = Process.Start(Start(folder, command, redirect: true))!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}).");
    }

    private static ProcessStartInfo Start(string folder, string[] command, bool redirect)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = folder, RedirectStandardOutput = redirect, UseShellExecute = false };
        foreach (var argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private static string Quote(string argument) => argument.Any(char.IsWhiteSpace) ? $"'{argument}'" : argument;
}
