using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Deploy;

/// <summary><c>build</c>, <c>apply</c> and <c>destroy</c>: the commands of <see cref="ImageBuild"/> and <see cref="DeployCommands"/>, run in order.</summary>
internal sealed class DeployVerbs(RepositoryLayout repository, string outputFolder, ToolRunner tools)
{
    private static readonly string[] LocalEngines = ["docker", "podman"];

    private TextWriter Console => tools.Console;

    /// <summary>
    /// Builds every image. Without <c>--engine</c>: into Minikube when the kube context is a Minikube one (the images
    /// must be inside the cluster, never only in the host's Docker), else docker, else podman.
    /// </summary>
    public async Task<int> BuildAsync(KubernetesApp app, string? engine, string? kubeContext, string tag, string? registry, bool push)
    {
        var context = await KubeContext.FindAsync(tools, kubeContext);
        engine ??= context is { IsMinikube: true } ? ImageBuild.Minikube
            : LocalEngines.FirstOrDefault(tools.Exists)
            ?? throw new InvalidOperationException("No image builder: install docker or podman, or start Minikube (then build into it).");
        if (engine == ImageBuild.Minikube && push)
        {
            throw new ArgumentException("--push needs --engine docker or podman: minikube builds inside the cluster's node.");
        }

        var build = new ImageBuild(engine, engine == ImageBuild.Minikube && context is { IsMinikube: true } ? context.Name : null, tag, registry, push);
        await Console.WriteLineAsync(engine == ImageBuild.Minikube
            ? $"Building into Minikube{(build.MinikubeProfile is null ? "" : $" (profile {build.MinikubeProfile})")}."
            : $"Building with {engine}.");
        foreach (var command in build.Commands(app))
        {
            await tools.RunAsync(command);
        }

        if (engine == ImageBuild.Minikube && await tools.ReadAsync(build.ListCommand()) is { } listed
            && build.Missing(app, listed) is { Count: > 0 } missing)
        {
            await Console.WriteLineAsync(
                $"minikube image build reported success but {string.Join(", ", missing)} is not in the cluster: the build failed. " +
                "Scroll up for the builder's error, or build with `eval $(minikube docker-env)` and --engine docker.");
            return 1;
        }

        await Console.WriteLineAsync($"Images: {string.Join(", ", build.Images(app).Select(entry => entry.Image))}");
        await Console.WriteLineAsync(registry is null
            ? $"Deploy them with: dotnet run --project Publisher -- apply --tag {tag}"
            : $"Deploy them with: dotnet run --project Publisher -- apply --overlay production --registry {registry} --tag {tag} --host <your host>");
        return 0;
    }

    public async Task<int> ApplyAsync(KubernetesApp app, ApplySettings settings, string? kubeContext, bool confirmed)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        if (settings.Overlay == "minikube" && !context.IsMinikube && !confirmed)
        {
            await Console.WriteLineAsync(
                $"{context.Name} is not a Minikube context: the minikube overlay expects images built into Minikube and a NodePort. " +
                "Use --overlay production for a real cluster, or pass --yes to apply it here anyway.");
            return 1;
        }

        var plan = SecretFiles.Plan(app, outputFolder, Environment.GetEnvironmentVariable);
        if (!plan.IsEmpty && !await SecretsMayBeCreatedAsync(app, plan, context))
        {
            return 1;
        }

        foreach (var addition in plan.Additions)
        {
            await Console.WriteLineAsync($"{(addition.IsNew ? "create" : "add to")} {repository.Relative(Path.Combine(outputFolder, addition.RelativePath))}: " +
                string.Join(", ", addition.Lines.Select(line => line.Key)));
        }

        if (!tools.DryRun)
        {
            SecretFiles.Write(plan, outputFolder);
        }

        var folder = Path.Combine(outputFolder, ApplyKustomization.Folder, settings.Overlay);
        await Console.WriteLineAsync($"write {repository.Relative(folder)}/ (images tagged {settings.Tag}{(settings.Registry is null ? "" : $" from {settings.Registry}")})");
        if (!tools.DryRun)
        {
            // Only this apply's files: a patch an earlier apply needed (another host, a storage class) must not linger.
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.EnumerateFiles(folder, "*.yaml"))
            {
                File.Delete(stale);
            }

            foreach (var (name, content) in ApplyKustomization.Write(app, settings))
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), content);
            }
        }

        if (app.Workloads.Any(w => w.IsJob))
        {
            foreach (var command in DeployCommands.BeforeJobs(app, context, repository.Relative(folder)))
            {
                await tools.RunAsync(command);
            }

            foreach (var job in app.Workloads.Where(w => w.IsJob))
            {
                if (!await JobSucceededAsync(job, context))
                {
                    return 1;
                }
            }
        }

        foreach (var command in DeployCommands.Apply(app, context, repository.Relative(folder)))
        {
            await tools.RunAsync(command);
        }

        if (DeployCommands.OpenHint(app, context, settings) is { } hint)
        {
            await Console.WriteLineAsync($"Open the app: {hint}");
        }

        return 0;
    }

    public async Task<int> DestroyAsync(string? kubeContext, bool purge)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        foreach (var command in DeployCommands.Destroy(context, purge))
        {
            await tools.RunAsync(command);
        }

        if (!purge)
        {
            await Console.WriteLineAsync("The database volume is kept; `destroy --purge` deletes it with the namespace.");
        }

        return 0;
    }

    /// <summary>Waits for a job to finish (the migrator: 5 minutes to reach the database, plus its retries); on failure prints its logs.</summary>
    private async Task<bool> JobSucceededAsync(KubernetesWorkload job, KubeContext context)
    {
        var status = DeployCommands.JobStatus(context, job);
        tools.Print(status);
        if (tools.DryRun)
        {
            return true;
        }

        var deadline = DateTime.UtcNow + JobTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var conditions = (await tools.QueryAsync(status))?.Trim();
            if (conditions is not null && conditions.StartsWith("True/", StringComparison.Ordinal))
            {
                await Console.WriteLineAsync($"job/{job.Name} completed.");
                return true;
            }

            if (conditions is not null && conditions.EndsWith("/True", StringComparison.Ordinal))
            {
                await Console.WriteLineAsync($"job/{job.Name} failed; the services were not rolled. Its last log lines:");
                await Console.WriteLineAsync(await tools.QueryAsync(DeployCommands.JobLogs(context, job)) ?? "(no logs)");
                return false;
            }

            await Task.Delay(JobPollInterval);
        }

        await Console.WriteLineAsync($"job/{job.Name} did not finish within {JobTimeout.TotalMinutes} minutes; see `kubectl -n {KubernetesApp.Namespace} logs job/{job.Name}`.");
        return false;
    }

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan JobPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>The commit, with <c>-dirty</c> when the work tree has changes, as the image tag.</summary>
    public static async Task<string> CommitTagAsync(ToolRunner tools)
    {
        var commit = (await tools.QueryAsync(["git", "rev-parse", "--short=12", "HEAD"]))?.Trim()
            ?? throw new InvalidOperationException("git rev-parse failed: pass --tag.");
        var dirty = ((await tools.QueryAsync(["git", "status", "--porcelain", "--untracked-files=no"])) ?? "").Trim().Length > 0;
        return dirty ? commit + "-dirty" : commit;
    }

    /// <summary>The context to act on, printed before anything acts on it.</summary>
    private async Task<KubeContext?> ContextAsync(string? requested)
    {
        var context = await KubeContext.FindAsync(tools, requested);
        await Console.WriteLineAsync(context is null
            ? "No Kubernetes context: kubectl has no current context; pass --kube-context NAME (kubectl config get-contexts lists them)."
            : $"Kubernetes context: {context.Name}{(context.IsMinikube ? " (Minikube)" : "")}");
        return context;
    }

    /// <summary>
    /// New values for inputs a database was initialised with would lock the services out of it: when <c>apply</c> has to
    /// create such an input, the data volume must not exist yet.
    /// </summary>
    private async Task<bool> SecretsMayBeCreatedAsync(KubernetesApp app, SecretFilesPlan plan, KubeContext context)
    {
        var guarded = app.Workloads.Where(w => w.IsStateful && !w.IsExternal)
            .Where(w => w.SecretSettings.SelectMany(setting => setting.Value.Inputs).Any(plan.Created.Contains))
            .ToList();
        foreach (var claim in guarded.SelectMany(DeployCommands.DataClaims))
        {
            var found = (await tools.ReadAsync(DeployCommands.CheckForData(context, claim)))?.Trim();
            if (!string.IsNullOrEmpty(found))
            {
                await Console.WriteLineAsync(
                    $"{found} exists, but the secret files no longer hold {string.Join(", ", plan.Created.Select(input => input.ParameterName))}: " +
                    "restore the secret files the database was created with, or `destroy --purge` first. Nothing was written.");
                return false;
            }
        }

        return true;
    }
}
