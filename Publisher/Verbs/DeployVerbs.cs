using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// The verbs that act on a cluster: <c>build</c>, <c>apply</c>, <c>rollback</c>, <c>destroy</c>, <c>backup</c> and
/// <c>restore</c>, each in its own file (<c>*Verb.cs</c>), running the command lines of <see cref="ImageBuild"/> and
/// <see cref="DeployCommands"/> in order. This file holds what they share: the context, the preflight, the jobs and
/// the watched rollouts.
/// </summary>
internal sealed partial class DeployVerbs(RepositoryLayout repository, string outputFolder, ToolRunner tools)
{
    private TextWriter Console => tools.Console;

    /// <summary>What a release is, for its record and its messages.</summary>
    private sealed record ReleaseChange(string Description, string Images, string? Registry, bool SetsStorage);

    /// <summary>
    /// Asks the API server first (a server-side dry run of the whole change; nothing is changed when it refuses), creates
    /// or updates the pull secret (<paramref name="pullSecret"/>), records the release as pending, runs the jobs, applies
    /// everything, watches every rollout (stopping within seconds when a pod cannot pull its image or read its settings),
    /// then records the release as deployed or failed. <paramref name="manifests"/> reach kubectl on standard input only:
    /// they hold the Secrets.
    /// </summary>
    private async Task<int> DeployManifestsAsync(KubernetesApp app, KubeContext context, StandardInput manifests, ReleaseChange change, RegistryPullSecret? pullSecret = null)
    {
        if (!await PreflightAsync(context, manifests, change))
        {
            return 1;
        }

        await CreatePullSecretAsync(context, pullSecret);

        var history = tools.DryRun ? [] : ReleaseHistory.Parse(await tools.ReadAsync(ReleaseHistory.ListCommand(context)) ?? "{}");
        var revision = history.Count == 0 ? 1 : history[0].Revision + 1;
        await tools.RunAsync(ReleaseHistory.CreateCommand(context),
            new StandardInput(ReleaseHistory.Record(new Release(revision, "pending", change.Description, change.Images, manifests.Text), context.Namespace), $"the record of release v{revision} (a Secret)"));
        var deployed = await RolloutAsync(app, context, manifests, change);
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

    private async Task<bool> RolloutAsync(KubernetesApp app, KubeContext context, StandardInput manifests, ReleaseChange change)
    {
        foreach (var command in app.Options.UsesExternalSecrets ? DeployCommands.ExternalSecretsFirst(context) : [])
        {
            await tools.RunAsync(command, command.Contains("-") ? manifests : null);
        }

        if (app.Workloads.Any(w => w.IsJob))
        {
            foreach (var command in DeployCommands.BeforeJobs(app, context))
            {
                // The deletions read nothing; the apply reads the manifests (-f -).
                await tools.RunAsync(command, command.Contains("-") ? manifests : null);
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

        await tools.RunAsync(DeployCommands.Apply(context), manifests);
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
    private async Task<bool> PreflightAsync(KubeContext context, StandardInput manifests, ReleaseChange change)
    {
        var created = false;
        if (!tools.DryRun && string.IsNullOrWhiteSpace(await tools.ReadAsync(DeployCommands.NamespaceQuery(context))))
        {
            await tools.RunAsync(DeployCommands.CreateNamespace(context), manifests);
            created = true;
        }

        if (await tools.CheckAsync(DeployCommands.Preflight(context), manifests) is not { } result)
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

    /// <summary>
    /// The pull secret, once the namespace exists and the server accepted the change, before any pod pulls: its manifest
    /// (which holds the password) goes to kubectl on standard input only.
    /// </summary>
    private async Task CreatePullSecretAsync(KubeContext context, RegistryPullSecret? pullSecret)
    {
        if (pullSecret is not null)
        {
            await Console.WriteLineAsync($"create or update the pull secret {pullSecret.Name} for {pullSecret.Credentials} (from standard input)");
            await tools.RunAsync(RegistryPullSecret.Command(context), new StandardInput(pullSecret.Manifest(context.Namespace), $"the pull secret {pullSecret.Name}"));
        }
    }

    private static readonly TimeSpan RolloutTimeout = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private async Task<int> WithContextAsync(string? kubeContext, string @namespace, Func<KubeContext, Task<int>> verb) =>
        await ContextAsync(kubeContext, @namespace) is { } context ? await verb(context) : 1;

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

        await Console.WriteLineAsync($"job/{job.Name} did not finish within {JobTimeout.TotalMinutes} minutes; see `kubectl -n {context.Namespace} logs job/{job.Name}`.");
        return false;
    }

    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The context to act on, in the app's <paramref name="namespace"/>, printed before anything acts on it.</summary>
    private async Task<KubeContext?> ContextAsync(string? requested, string @namespace)
    {
        var context = await KubeContext.FindAsync(tools, requested) is { } found ? found with { Namespace = @namespace } : null;
        await Console.WriteLineAsync(context is null
            ? "No Kubernetes context: kubectl has no current context; pass --kube-context NAME (kubectl config get-contexts lists them)."
            : $"Kubernetes context: {context.Name}{(context.IsMinikube ? " (Minikube)" : "")}");
        return context;
    }
}
