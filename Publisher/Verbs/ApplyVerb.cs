using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary><c>apply</c>: the Kustomize overlay, or with <c>--chart</c> the Helm release.</summary>
internal sealed partial class DeployVerbs
{
    public async Task<int> ApplyAsync(KubernetesApp app, ApplySettings settings, string? kubeContext, bool confirmed)
    {
        if (await ContextAsync(kubeContext, app.Namespace) is not { } context)
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

        // The generated values live in the cluster's Secrets: read back into memory, completed there, never on disk. With
        // generate --secrets external the operator's store holds every value, and the ExternalSecrets say where.
        var legacy = app.Options.UsesExternalSecrets ? [] : LegacySecretFiles(app);
        var plan = app.Options.UsesExternalSecrets ? SecretPlan.Nothing : await PlanClusterSecretsAsync(app, context, legacy);
        if (plan is null)
        {
            return 1;
        }

        if (app.Options.UsesExternalSecrets)
        {
            await Console.WriteLineAsync($"external secrets: nothing to create (the {app.Options.SecretStoreKind} {app.Options.SecretStore} must hold {string.Join(", ", ExternalSecrets.RemoteKeys(app))})");
        }
        else if (tools.DryRun)
        {
            await Console.WriteLineAsync("(a dry run reads no Secret: apply adds to each workload's Secret the keys it lacks, and changes none)");
            foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
            {
                await Console.WriteLineAsync($"Secret {workload.SecretName} (in the cluster): {string.Join(", ", workload.SecretSettings.Select(setting => setting.Name))}");
            }
        }

        foreach (var addition in tools.DryRun ? [] : plan.Additions)
        {
            await Console.WriteLineAsync($"{(addition.IsNew ? "create" : "add to")} Secret {addition.Workload.SecretName} (in the cluster): " +
                string.Join(", ", addition.Lines.Select(line => line.Key)));
        }

        await RemoveEarlierRendersAsync();
        var folder = Path.Combine(outputFolder, ApplyKustomization.Folder, settings.Overlay);
        await Console.WriteLineAsync($"write {repository.Relative(folder)}/ (images {settings.Tags.Describe(app)}{(settings.Registry is null ? "" : $" from {settings.Registry}")})");
        if (!tools.DryRun)
        {
            // Only this apply's files: a patch an earlier apply needed (another host, a storage class) must not linger.
            Directory.CreateDirectory(folder);
            foreach (var stale in Directory.EnumerateFiles(folder))
            {
                File.Delete(stale);
            }

            foreach (var (name, content) in ApplyKustomization.Write(app, settings))
            {
                await File.WriteAllTextAsync(Path.Combine(folder, name), content);
            }
        }

        var rendered = await RenderAsync(folder, plan);
        var release = new ReleaseChange("apply", settings.Tags.Describe(app), settings.Registry, settings.StorageClass is not null);
        if (await DeployManifestsAsync(app, context, new StandardInput(rendered ?? "", "the rendered manifests"), release, settings.NewPullSecret) != 0)
        {
            return 1;
        }

        if (settings.Gateway is not null && app.EntryPoint is { } routed)
        {
            await tools.RunAsync(DeployCommands.DeleteIngress(context, routed));
        }

        foreach (var (workload, file) in legacy)
        {
            File.Delete(Path.Combine(outputFolder, workload, SecretFiles.FileName(workload)));
            await Console.WriteLineAsync($"removed {file.Source}: its values are in the cluster's Secrets now (`secrets export` keeps an encrypted copy).");
        }

        if (DeployCommands.OpenHint(app, context, settings) is { } hint)
        {
            await Console.WriteLineAsync($"Open the app: {hint}");
        }

        return 0;
    }

    /// <summary>
    /// What apply adds to the cluster's Secrets (read back into memory, with what an earlier publisher's files hold);
    /// null when it would create a value the existing database volume was initialised with (refused).
    /// </summary>
    private async Task<SecretPlan?> PlanClusterSecretsAsync(KubernetesApp app, KubeContext context, IReadOnlyDictionary<string, StoredSecret> legacy)
    {
        var listed = await tools.ReadAsync(ClusterSecrets.Query(context));
        var stored = Merge(listed is null ? new Dictionary<string, StoredSecret>() : ClusterSecrets.Parse(app, listed), legacy);
        var plan = SecretPlan.For(app, stored, Environment.GetEnvironmentVariable);
        return plan.IsEmpty || await SecretsMayBeCreatedAsync(app, plan, context) ? plan : null;
    }

    /// <summary>
    /// An Ingress without a class is served only where the cluster has a default IngressClass: without one, and without
    /// <c>--ingress-class</c> (or <c>--gateway</c>, which replaces the Ingress), the production overlay's Ingress would be
    /// ignored and the app unreachable, so apply stops and names the classes there are.
    /// </summary>
    private async Task<bool> IngressClassResolvedAsync(KubernetesApp app, ApplySettings settings, KubeContext context)
    {
        if (settings.Overlay != "production" || settings.IngressClass is not null || settings.Gateway is not null || app.EntryPoint is null || tools.DryRun)
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
    private async Task<bool> SecretsMayBeCreatedAsync(KubernetesApp app, SecretPlan plan, KubeContext context)
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
                    $"{found} exists, but the cluster's Secrets no longer hold {string.Join(", ", plan.Created.Where(input => guarded.Any(w => w.SecretSettings.Any(setting => setting.Value.Inputs.Contains(input)))).Select(input => input.ParameterName))}, " +
                    "which its database was created with: import them from a backup (`secrets import FILE --identity KEY`, made by `secrets export`), " +
                    "or `destroy --purge` first to start with an empty database. Nothing was changed.");
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The Helm route of <c>apply</c>: the namespace with its Pod Security labels, the chart rendered with the cluster's
    /// stored values and checked by the API server in a server-side dry run (as the Kustomize route is), then <c>helm
    /// upgrade --install</c> with waiting and rollback on failure. Helm keeps the release history and the secrets.
    /// </summary>
    public async Task<int> ApplyChartAsync(KubernetesApp app, ApplySettings settings, string? kubeContext, bool confirmed)
    {
        if (await ContextAsync(kubeContext, app.Namespace) is not { } context)
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

        await RemoveEarlierRendersAsync();
        var folder = Path.Combine(outputFolder, ApplyKustomization.Folder, HelmRelease.Format);
        var values = Path.Combine(folder, "values.yaml");
        await Console.WriteLineAsync($"write {repository.Relative(values)} (images {settings.Tags.Describe(app)}{(settings.Registry is null ? "" : $" from {settings.Registry}")})");
        if (!tools.DryRun)
        {
            Directory.CreateDirectory(folder);
            SecretFiles.WriteOwnerOnly(values, HelmRelease.Values(app, settings));
        }

        // A value the operator brings (the model's key) goes on standard input (--values -), never into values.yaml.
        var secretValues = HelmRelease.SecretValues(app, Environment.GetEnvironmentVariable) is { } text ? new StandardInput(text, "the secret values (the model's key)") : null;
        var chart = repository.Relative(Path.Combine(outputFolder, Kubernetes.Helm.ChartWriter.Folder));
        await tools.RunAsync(HelmRelease.Namespace(context, repository.Relative(Path.Combine(outputFolder, "namespace.yaml"))));
        var rendered = await tools.ReadAsync(HelmRelease.Template(context, chart, repository.Relative(values), secretValues is not null), secretValues);
        var manifests = new StandardInput(rendered ?? "", "the chart rendered by helm template");
        if (!await PreflightAsync(context, manifests, new ReleaseChange("helm upgrade", settings.Tags.Describe(app), settings.Registry, settings.StorageClass is not null)))
        {
            return 1;
        }

        await CreatePullSecretAsync(context, settings.NewPullSecret);
        await tools.RunAsync(HelmRelease.Upgrade(context, chart, repository.Relative(values), secretValues is not null), secretValues);
        if (DeployCommands.OpenHint(app, context, settings) is { } hint)
        {
            await Console.WriteLineAsync($"Open the app: {hint.Replace($" service {app.EntryPoint!.Name} ", $" service {HelmRelease.ObjectName(app.EntryPoint.Name)} ", StringComparison.Ordinal)}");
        }

        return 0;
    }
}
