using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;

namespace Phase4.Publisher.Deploy;

/// <summary><c>build</c>, <c>apply</c> and <c>destroy</c>: the commands of <see cref="ImageBuild"/> and <see cref="DeployCommands"/>, run in order.</summary>
internal sealed class DeployVerbs(RepositoryLayout repository, string outputFolder, ToolRunner tools)
{
    private static readonly string[] LocalEngines = ["docker", "podman"];

    private TextWriter Console => tools.Console;

    /// <summary>
    /// Builds every image. Without <c>--engine</c>: into Minikube when the kube context is a Minikube one (the images
    /// must be inside the cluster, never only in the host's Docker), else docker, else podman. Each image is labelled
    /// with its build-input digest and read back afterwards: the image now carrying the tag must be this build.
    /// </summary>
    public async Task<int> BuildAsync(KubernetesApp app, string? engine, string? kubeContext, ImageTags tags, string? registry, bool push)
    {
        var context = await KubeContext.FindAsync(tools, kubeContext);
        engine ??= context is { IsMinikube: true } ? ImageBuild.Minikube
            : LocalEngines.FirstOrDefault(tools.Exists)
            ?? throw new InvalidOperationException("No image builder: install docker or podman, or start Minikube (then build into it).");
        if (engine == ImageBuild.Minikube && push)
        {
            throw new ArgumentException("--push needs --engine docker or podman: minikube builds inside the cluster's node.");
        }

        var profile = engine == ImageBuild.Minikube && context is { IsMinikube: true } ? context.Name : null;
        var build = new ImageBuild(engine, profile, tags, registry, push)
        {
            MinikubeRuntime = engine == ImageBuild.Minikube && context is not null && !tools.DryRun ? await NodeRuntimeAsync(context) : "docker",
        };
        await Console.WriteLineAsync(engine == ImageBuild.Minikube
            ? $"Building into Minikube{(build.MinikubeProfile is null ? "" : $" (profile {build.MinikubeProfile})")}, container runtime {build.MinikubeRuntime}."
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

        foreach (var (workload, image) in build.Images(app))
        {
            if (tags.DigestOf(workload) is not { } digest || await tools.ReadAsync(build.LabelQuery(image)) is not { } inspected)
            {
                continue;
            }

            var label = build.LabelIn(inspected);
            if (label != digest)
            {
                await Console.WriteLineAsync(
                    $"{image} is not the image just built: it was built from other sources ({BuildInputs.DigestLabel}: {label ?? "none"}, expected {digest}). " +
                    "The build failed and left an older image under this tag; scroll up for the builder's error.");
                return 1;
            }
        }

        await Console.WriteLineAsync($"Images: {string.Join(", ", build.Images(app).Select(entry => entry.Image))}");
        var tagOption = tags.Fixed is { } fixedTag ? $" --tag {fixedTag}" : "";
        await Console.WriteLineAsync(registry is null
            ? $"Deploy them with: dotnet run --project Publisher -- apply{tagOption}"
            : $"Deploy them with: dotnet run --project Publisher -- apply --overlay production --registry {registry}{tagOption} --host <your host>");
        return 0;
    }

    /// <summary>docker, containerd or cri-o: the runtime of the context's node (docker when it cannot be read).</summary>
    private async Task<string> NodeRuntimeAsync(KubeContext context)
    {
        var version = (await tools.QueryAsync(DeployCommands.NodeRuntime(context)))?.Trim() ?? "";
        var scheme = version.Split("://")[0];
        return scheme.Length == 0 ? "docker" : scheme;
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

        if (!await IngressClassResolvedAsync(app, settings, context))
        {
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
        await Console.WriteLineAsync($"write {repository.Relative(folder)}/ (images {settings.Tags.Describe(app)}{(settings.Registry is null ? "" : $" from {settings.Registry}")})");
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

        var manifests = Path.Combine(folder, DeployCommands.ManifestsFile);
        if (await tools.ReadAsync(DeployCommands.Render(repository.Relative(folder))) is { } rendered)
        {
            WritePrivate(manifests, rendered);
        }

        var release = new ReleaseChange("apply", settings.Tags.Describe(app), settings.Registry, settings.StorageClass is not null);
        if (await DeployManifestsAsync(app, context, manifests, release) != 0)
        {
            return 1;
        }

        if (DeployCommands.OpenHint(app, context, settings) is { } hint)
        {
            await Console.WriteLineAsync($"Open the app: {hint}");
        }

        return 0;
    }

    /// <summary>
    /// Re-applies an earlier release's manifests exactly (its image tags, settings and Secrets), through the same
    /// preflight, jobs and watched rollouts as <c>apply</c>, and records it as a new release. A schema migration is not
    /// undone: the earlier build runs on the newer schema, which the additive-migration rule keeps compatible.
    /// </summary>
    public async Task<int> RollbackAsync(KubernetesApp app, string? kubeContext, int? revision, bool helm = false)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        if (helm)
        {
            await Console.WriteLineAsync("Database migrations applied since are not undone (docs/kubernetes.md, Roll back).");
            await tools.RunAsync(HelmRelease.Rollback(context, revision));
            return 0;
        }

        var listed = await tools.ReadAsync(ReleaseHistory.ListCommand(context));
        if (listed is null)
        {
            return 0;
        }

        var releases = ReleaseHistory.Parse(listed);
        if (ReleaseHistory.Target(releases, revision) is not { } target)
        {
            await Console.WriteLineAsync(revision is null
                ? $"No earlier deployed release to roll back to ({(releases.Count == 0 ? "no release is recorded in namespace " + KubernetesApp.Namespace : "releases: " + string.Join(", ", releases.Select(r => $"v{r.Revision} {r.Status}")))})."
                : $"No release v{revision} (kept: {string.Join(", ", releases.Select(r => $"v{r.Revision}"))}).");
            return 1;
        }

        await Console.WriteLineAsync($"Rolling back to release v{target.Revision} ({target.Description}; images {target.Images}). Database migrations applied since are not undone.");
        var folder = Path.Combine(outputFolder, ApplyKustomization.Folder, "rollback");
        Directory.CreateDirectory(folder);
        var manifests = Path.Combine(folder, DeployCommands.ManifestsFile);
        WritePrivate(manifests, target.Manifests);
        return await DeployManifestsAsync(app, context, manifests, new ReleaseChange($"rollback to v{target.Revision}", target.Images, null, false));
    }

    /// <summary>What a release is, for its record and its messages.</summary>
    private sealed record ReleaseChange(string Description, string Images, string? Registry, bool SetsStorage);

    /// <summary>
    /// Asks the API server first (a server-side dry run of the whole change; nothing is changed when it refuses), records
    /// the release as pending, runs the jobs, applies everything, watches every rollout (stopping within seconds when a
    /// pod cannot pull its image or read its settings), then records the release as deployed or failed.
    /// </summary>
    private async Task<int> DeployManifestsAsync(KubernetesApp app, KubeContext context, string manifests, ReleaseChange change)
    {
        var file = repository.Relative(manifests);
        if (!await PreflightAsync(context, file, change))
        {
            return 1;
        }

        var history = tools.DryRun ? [] : ReleaseHistory.Parse(await tools.ReadAsync(ReleaseHistory.ListCommand(context)) ?? "{}");
        var revision = history.Count == 0 ? 1 : history[0].Revision + 1;
        var record = Path.Combine(Path.GetDirectoryName(manifests)!, "release.json");
        if (!tools.DryRun)
        {
            WritePrivate(record, ReleaseHistory.Record(new Release(revision, "pending", change.Description, change.Images, await File.ReadAllTextAsync(manifests))));
        }

        await tools.RunAsync(context.Kubectl("create", "-f", repository.Relative(record)));
        var deployed = await RolloutAsync(app, context, file, change);
        await tools.RunAsync(ReleaseHistory.MarkCommand(context, revision, deployed ? "deployed" : "failed"));
        if (ReleaseHistory.PruneCommand(context, history) is { } prune)
        {
            await tools.RunAsync(prune);
        }

        await Console.WriteLineAsync(deployed
            ? $"Release v{revision} deployed ({change.Description})."
            : $"Release v{revision} failed ({change.Description}); `dotnet run --project Publisher -- rollback` returns to the last deployed release.");
        return deployed ? 0 : 1;
    }

    private async Task<bool> RolloutAsync(KubernetesApp app, KubeContext context, string manifests, ReleaseChange change)
    {
        if (app.Workloads.Any(w => w.IsJob))
        {
            foreach (var command in DeployCommands.BeforeJobs(app, context, manifests))
            {
                await tools.RunAsync(command);
            }

            foreach (var workload in app.Workloads.Where(w => w.IsStateful && !w.IsExternal))
            {
                if (!await RolledOutAsync(workload, context, change))
                {
                    return false;
                }
            }

            foreach (var job in app.Workloads.Where(w => w.IsJob))
            {
                if (!await JobSucceededAsync(job, context, change))
                {
                    return false;
                }
            }
        }

        await tools.RunAsync(DeployCommands.Apply(context, manifests));
        foreach (var workload in app.Workloads.Where(w => !w.IsJob && !w.IsExternal))
        {
            if (!await RolledOutAsync(workload, context, change))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The server-side dry run. On a first deploy the namespace is created first (with its Pod Security labels), and
    /// deleted again when the server refuses. Pod Security admission only warns about a workload's pod template
    /// (it enforces on pods, which a dry run of a Deployment does not create), so its warnings count as a refusal.
    /// </summary>
    private async Task<bool> PreflightAsync(KubeContext context, string manifests, ReleaseChange change)
    {
        var created = false;
        if (!tools.DryRun && string.IsNullOrWhiteSpace(await tools.ReadAsync(DeployCommands.NamespaceQuery(context))))
        {
            await tools.RunAsync(DeployCommands.CreateNamespace(context, manifests));
            created = true;
        }

        if (await tools.CheckAsync(DeployCommands.Preflight(context, manifests)) is not { } result)
        {
            return true;
        }

        var podSecurity = result.Errors.Split('\n').Where(line => line.Contains("would violate PodSecurity", StringComparison.Ordinal)).ToList();
        if (result.ExitCode == 0 && podSecurity.Count == 0)
        {
            await Console.WriteLineAsync("The API server accepts the change (server-side dry run).");
            return true;
        }

        await Console.WriteLineAsync("The API server refused the change in a server-side dry run; nothing was applied. Its answer:");
        await Console.WriteLineAsync(result.Errors.Trim());
        if (result.Errors.Contains("updates to statefulset spec for fields other than", StringComparison.Ordinal))
        {
            await Console.WriteLineAsync(
                "A StatefulSet's volume claims (the database volume's size and StorageClass) cannot change after it was created. " +
                "To move the data to new storage: `dotnet run --project Publisher -- backup --output tasksdb.dump`, " +
                "`dotnet run --project Publisher -- destroy --purge`, apply with the new storage settings, then " +
                "`dotnet run --project Publisher -- restore tasksdb.dump --yes`" +
                (change.SetsStorage ? "; or apply without --storage-class to keep the volume as it is." : "."));
        }

        if (podSecurity.Count > 0)
        {
            await Console.WriteLineAsync("Pod Security admission would reject these pods in the namespace's enforced profile.");
        }

        if (created)
        {
            await tools.RunAsync(DeployCommands.DeleteNamespace(context));
        }

        return false;
    }

    /// <summary>
    /// Polls a rollout every two seconds for up to five minutes, and its pods: a pod that cannot pull its image or read
    /// its settings ends the wait at once, naming the workload, the image and the likely cause. The previous pods keep
    /// serving (a Deployment's <c>maxUnavailable: 0</c>).
    /// </summary>
    private async Task<bool> RolledOutAsync(KubernetesWorkload workload, KubeContext context, ReleaseChange change)
    {
        var check = DeployCommands.RolloutCheck(context, workload);
        tools.Print(check);
        if (tools.DryRun)
        {
            return true;
        }

        var deadline = DateTime.UtcNow + RolloutTimeout;
        while (true)
        {
            var status = await tools.CheckAsync(check);
            if (status!.ExitCode == 0 && DeployCommands.RolledOut(status.Output))
            {
                await Console.WriteLineAsync(status.Output.Trim());
                return true;
            }

            if (status.ExitCode != 0)
            {
                await Console.WriteLineAsync($"{workload.Kind.ToLowerInvariant()}/{workload.Name} did not roll out: {status.Errors.Trim()}");
                return false;
            }

            if (await PodProblemAsync(workload, context, change) is { } problem)
            {
                await Console.WriteLineAsync(problem + (workload.IsStateful
                    ? " The StatefulSet replaces its pod in place, so the database is down until this is fixed."
                    : " The previous pods keep serving; fix the cause and apply again, or roll back."));
                return false;
            }

            if (DateTime.UtcNow > deadline)
            {
                await Console.WriteLineAsync($"{workload.Kind.ToLowerInvariant()}/{workload.Name} did not roll out within {RolloutTimeout.TotalMinutes} minutes: {status.Output.Trim()}");
                return false;
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>The first pod of the workload that cannot start, with the likely cause; null when none.</summary>
    private async Task<string?> PodProblemAsync(KubernetesWorkload workload, KubeContext context, ReleaseChange change)
    {
        var pods = await tools.QueryAsync(DeployCommands.Pods(context, workload));
        if (pods is null || PodProblems.Find(pods) is not [var problem, ..])
        {
            return null;
        }

        var events = problem.Reason is "ImagePullBackOff" or "ErrImagePull" ? await tools.QueryAsync(DeployCommands.PodEvents(context, problem.Pod)) ?? "" : "";
        var cause = PodProblems.LikelyCause(problem, events, context.IsMinikube, workload.Source.IsBuiltHere, change.Registry);
        return $"{workload.Kind.ToLowerInvariant()}/{workload.Name}: pod {problem.Pod} cannot start ({problem.Reason}) with image {problem.Image}: {cause}.";
    }

    /// <summary>Writes a file only its owner can read (it may hold the app's Secrets), replacing any earlier one.</summary>
    private static void WritePrivate(string path, string content) => SecretFiles.WriteOwnerOnly(path, content);

    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The Helm route of <c>apply</c>: the namespace with its Pod Security labels, the chart rendered with the cluster's
    /// stored values and checked by the API server in a server-side dry run (as the Kustomize route is), then <c>helm
    /// upgrade --install</c> with waiting and rollback on failure. Helm keeps the release history and the secrets.
    /// </summary>
    public async Task<int> ApplyChartAsync(KubernetesApp app, ApplySettings settings, string? kubeContext, bool confirmed)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        if (settings.Overlay == "minikube" && !context.IsMinikube && !confirmed)
        {
            await Console.WriteLineAsync($"{context.Name} is not a Minikube context: use --overlay production for a real cluster, or pass --yes.");
            return 1;
        }

        if (!await IngressClassResolvedAsync(app, settings, context))
        {
            return 1;
        }

        var folder = Path.Combine(outputFolder, ApplyKustomization.Folder, HelmRelease.Format);
        var values = Path.Combine(folder, "values.yaml");
        var manifests = Path.Combine(folder, DeployCommands.ManifestsFile);
        await Console.WriteLineAsync($"write {repository.Relative(values)} (images {settings.Tags.Describe(app)}{(settings.Registry is null ? "" : $" from {settings.Registry}")})");
        if (!tools.DryRun)
        {
            Directory.CreateDirectory(folder);
            WritePrivate(values, HelmRelease.Values(app, settings));
        }

        var chart = repository.Relative(Path.Combine(outputFolder, Kubernetes.Helm.ChartWriter.Folder));
        await tools.RunAsync(HelmRelease.Namespace(context, repository.Relative(Path.Combine(outputFolder, "namespace.yaml"))));
        if (await tools.ReadAsync(HelmRelease.Template(context, chart, repository.Relative(values))) is { } rendered)
        {
            WritePrivate(manifests, rendered);
        }

        if (!await PreflightAsync(context, repository.Relative(manifests), new ReleaseChange("helm upgrade", settings.Tags.Describe(app), settings.Registry, settings.StorageClass is not null)))
        {
            return 1;
        }

        await tools.RunAsync(HelmRelease.Upgrade(context, chart, repository.Relative(values)));
        if (DeployCommands.OpenHint(app, context, settings) is { } hint)
        {
            await Console.WriteLineAsync($"Open the app: {hint.Replace($" service {app.EntryPoint!.Name} ", $" service {HelmRelease.ObjectName(app.EntryPoint.Name)} ", StringComparison.Ordinal)}");
        }

        return 0;
    }

    public Task<int> BackupAsync(KubernetesApp app, string? kubeContext, string? file, bool helm) =>
        WithContextAsync(kubeContext, context => new DatabaseVerbs(app, tools, helm).BackupAsync(context, file));

    public Task<int> RestoreAsync(KubernetesApp app, string? kubeContext, string file, bool confirmed, bool helm) =>
        WithContextAsync(kubeContext, context => new DatabaseVerbs(app, tools, helm).RestoreAsync(context, file, confirmed));

    private async Task<int> WithContextAsync(string? kubeContext, Func<KubeContext, Task<int>> verb) =>
        await ContextAsync(kubeContext) is { } context ? await verb(context) : 1;

    public async Task<int> DestroyAsync(string? kubeContext, bool purge, bool helm = false)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        if (helm)
        {
            await tools.RunAsync(HelmRelease.Uninstall(context));
            await tools.RunAsync(HelmRelease.DeleteHookObjects(context));
        }

        foreach (var command in helm && !purge ? [] : DeployCommands.Destroy(context, purge))
        {
            await tools.RunAsync(command);
        }

        if (!purge)
        {
            await Console.WriteLineAsync(helm
                ? $"The database volume and the Secret {HelmRelease.ObjectName(ChartSecrets.StoreName)} (the generated secrets) are kept; `destroy --chart --purge` deletes them with the namespace."
                : "The database volume is kept; `destroy --purge` deletes it with the namespace.");
        }

        return 0;
    }

    /// <summary>Waits for a job to finish (the migrator: 5 minutes to reach the database, plus its retries); on failure prints its logs.</summary>
    private async Task<bool> JobSucceededAsync(KubernetesWorkload job, KubeContext context, ReleaseChange change)
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

            if (await PodProblemAsync(job, context, change) is { } problem)
            {
                await Console.WriteLineAsync(problem + " The services were not rolled: the previous release keeps serving.");
                return false;
            }

            await Task.Delay(PollInterval);
        }

        await Console.WriteLineAsync($"job/{job.Name} did not finish within {JobTimeout.TotalMinutes} minutes; see `kubectl -n {KubernetesApp.Namespace} logs job/{job.Name}`.");
        return false;
    }

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

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
    /// An Ingress without a class is served only where the cluster has a default IngressClass: without one, and without
    /// <c>--ingress-class</c>, the production overlay's Ingress would be ignored and the app unreachable, so apply stops
    /// and names the classes there are.
    /// </summary>
    private async Task<bool> IngressClassResolvedAsync(KubernetesApp app, ApplySettings settings, KubeContext context)
    {
        if (settings.Overlay != "production" || settings.IngressClass is not null || app.EntryPoint is null || tools.DryRun)
        {
            return true;
        }

        var classes = ((await tools.ReadAsync(DeployCommands.IngressClasses(context))) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')).ToList();
        if (classes.Any(entry => entry.Length > 1 && entry[1] == "true"))
        {
            return true;
        }

        await Console.WriteLineAsync(classes.Count == 0
            ? "The cluster has no IngressClass: install an ingress controller, then apply with --ingress-class NAME. Nothing was changed."
            : $"The cluster has no default IngressClass, so an Ingress without one would be ignored: pass --ingress-class with one of {string.Join(", ", classes.Select(entry => entry[0]))}. Nothing was changed.");
        return false;
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
