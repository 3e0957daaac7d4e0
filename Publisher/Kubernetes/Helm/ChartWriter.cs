using Phase4.Publisher.Yaml;
using Phase4.Publisher.Kubernetes.Manifest;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// Writes the Helm chart (<c>Chart/</c>): the Kustomize base's objects, built by the same code with
/// <see cref="TemplateValues"/>, so every object is named after the release and every per-cluster setting is a value
/// (<see cref="ChartValuesFile"/>, with its JSON schema); the secrets are generated and kept by the chart
/// (<see cref="ChartSecrets"/>). The release namespace is Helm's.
/// </summary>
internal static class ChartWriter
{
    public const string Folder = "Chart";

    public const string ChartName = "phase4";

    public const string SecretsTemplate = "secrets.yaml";

    public static string ConfigTemplate(KubernetesWorkload workload) => $"{workload.Name}-config.yaml";

    private static readonly string[] Header =
    [
        "Generated from the AppHost model by the Phase4 publisher; do not edit. Regenerate with:",
        "  dotnet run --project Publisher -- generate",
    ];

    public static SortedDictionary<string, string> Write(KubernetesApp app)
    {
        var values = new TemplateValues();
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{Folder}/Chart.yaml"] = ManifestWriter.Write(Map(
                ("apiVersion", Text("v2")),
                ("name", Text(ChartName)),
                ("description", Text("Phase4 to-do app with its AI chat assistant, generated from the AppHost model")),
                ("type", Text("application")),
                ("version", Text("0.2.0")),
                // The image tag comes from values (the chart refuses this placeholder): see values.yaml's imageTag.
                ("appVersion", Text(KubernetesApp.PlaceholderTag)),
                // The pods' preStop uses the kubelet's sleep action (on by default since Kubernetes 1.30).
                ("kubeVersion", Text(">=1.30.0-0"))), Header),
            [$"{Folder}/values.yaml"] = ChartValuesFile.ValuesYaml(app, Header),
            [$"{Folder}/values.schema.json"] = ChartValuesFile.SchemaJson(app),
            [$"{Folder}/templates/_helpers.tpl"] = ChartHelpers.Text(ChartName),
            [$"{Folder}/templates/_connection-budget.tpl"] = ConnectionBudget.Of(app.Workloads.Select(workload => workload.Source), app.DatabaseWorkload?.Name, app.Options).ChartHelper(ChartName),
            [$"{Folder}/templates/NOTES.txt"] = Notes(app),
            [$"{Folder}/templates/{SecretsTemplate}"] = ChartSecrets.Template(app, Header),
            [$"{Folder}/templates/_inputs.tpl"] = ChartSecrets.InputsTemplate(app, Header),
            [$"{Folder}/templates/external-secrets.yaml"] = ChartSecrets.ExternalSecretsTemplate(app, Header),
        };

        void Add(string name, Mapping node, string? condition = null) =>
            files[$"{Folder}/templates/{name}"] = ManifestWriter.Render(node, Header, condition);

        Add("default-deny.yaml", NetworkPolicies.DefaultDeny(values));
        Add("allow-dns.yaml", NetworkPolicies.AllowDns(values));
        foreach (var workload in app.Workloads)
        {
            var workloadValues = TemplateValues.ValuesOf(workload).Replace("$.", ".", StringComparison.Ordinal);
            // The chart's own database exists only while the operator's is not used.
            void AddFor(string name, Mapping node, string? condition = null) => Add(name, node,
                workload.Name != workload.Database.Name ? condition : condition is null ? $"not {TemplateValues.ExternalDatabase}.enabled" : $"and ({condition}) (not {TemplateValues.ExternalDatabase}.enabled)");
            if (workload.IsJob)
            {
                files[$"{Folder}/templates/{workload.Name}-workload.yaml"] = JobTemplate(workload, app, values);
            }
            else if (workload.IsStateful && workload.Name == workload.Database.Name)
            {
                AddFor($"{workload.Name}-workload.yaml", WorkloadObjects.Workload(workload, values));
                var path = $"{Folder}/templates/{workload.Name}-workload.yaml";
                files[path] = StorageGuard(workload) + files[path];
            }
            else
            {
                AddFor($"{workload.Name}-workload.yaml", WorkloadObjects.Workload(workload, values));
            }

            if (workload.Source.Ports.Count > 0)
            {
                AddFor($"{workload.Name}-service.yaml", WorkloadObjects.Service(workload, values));
            }

            AddFor($"{workload.Name}-network-policy.yaml", NetworkPolicies.For(workload, app, values));
            AddFor(ConfigTemplate(workload), WorkloadObjects.ConfigMap(workload, values));
            if (workload.IsStateful)
            {
                AddFor($"{workload.Name}-headless-service.yaml", WorkloadObjects.HeadlessService(workload, values));
            }

            if (workload.Scales)
            {
                Add($"{workload.Name}-autoscaler.yaml", WorkloadObjects.Autoscaler(workload, values), $"{workloadValues}.autoscaling.enabled");
                Add($"{workload.Name}-disruption-budget.yaml", WorkloadObjects.DisruptionBudget(workload, values));
            }
        }

        if (app.EntryPoint is { } entry)
        {
            files[$"{Folder}/templates/ingress.yaml"] = Refuse("and .Values.ingress.tls.issuer .Values.ingress.tls.clusterIssuer",
                    "ingress.tls.issuer and ingress.tls.clusterIssuer name one cert-manager issuer: set one of them.")
                + ManifestWriter.Render(WorkloadObjects.Ingress(entry, values), Header, ".Values.ingress.enabled");
            files[$"{Folder}/templates/httproute.yaml"] = Refuse("and .Values.gateway.enabled .Values.ingress.enabled",
                    "gateway.enabled routes through your Gateway instead of the chart's Ingress: set ingress.enabled=false.")
                + ManifestWriter.Render(WorkloadObjects.HttpRoute(entry, values, TemplateValues.GatewayParent(), values.IngressHost()), Header, ".Values.gateway.enabled");
        }

        if (app.DatabaseWorkload is { } database)
        {
            const string condition = "and .Values.backup.enabled (not .Values.database.external.enabled)";
            files[$"{Folder}/templates/{DatabaseBackup.Name}.yaml"] =
                ManifestWriter.Render(DatabaseBackup.CronJob(database, values, ChartTemplate.Value(".Values.backup.schedule | quote"), ChartTemplate.Value(".Values.backup.retention | quote")), Header, condition)
                + ManifestWriter.Render(DatabaseBackup.Claim(values, ChartTemplate.Value(".Values.backup.storage.size | quote"), Value<string>.With(".Values.backup.storage.storageClassName")), [], condition, follows: true)
                + ManifestWriter.Render(DatabaseBackup.NetworkPolicy(database, values), [], condition, follows: true);
        }

        return files;
    }

    /// <summary>
    /// A job (the migrator) runs before the new version serves. On install it is a plain Job: a pre-install hook would
    /// run before Helm creates the chart's database, Secrets and ConfigMaps, which it needs; the services wait for it,
    /// unready, and `helm install --wait` with them. On upgrade it is a pre-upgrade hook, run to completion before any
    /// Deployment rolls, and kept until the next upgrade replaces it (`before-hook-creation`), so its logs stay readable.
    /// Hooks run before Helm updates any of the release's objects (Helm docs, Chart Hooks: "pre-upgrade: Executes on an
    /// upgrade request after templates are rendered, but before any resources are updated"), so the hook does not read
    /// the release's ConfigMap, Secret and NetworkPolicy (still the previous release's) but its own, rendered from this
    /// release's values and created as hooks just before it (weight -1), deleted once the hooks succeeded.
    /// </summary>
    private static string JobTemplate(KubernetesWorkload workload, KubernetesApp app, TemplateValues values)
    {
        var install = WorkloadObjects.Workload(workload, values);
        // The hook and its own settings (this release's ConfigMap, Secret and egress) are named for the hook.
        var upgradeName = $"{workload.Name}-upgrade";
        var hook = new TemplateValues(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [workload.Name] = upgradeName,
            [workload.ConfigName] = $"{upgradeName}-env",
            [workload.SecretName] = $"{upgradeName}-secrets",
        });
        var upgrade = WorkloadObjects.Workload(workload, hook);
        ((Mapping)upgrade["metadata"]).Add("annotations", HookAnnotations(weight: 0, deleteOnSuccess: false));
        var config = WorkloadObjects.ConfigMap(workload, hook);
        var secret = ChartSecrets.WorkloadSecret(workload, hook);
        var policy = NetworkPolicies.For(workload, app, hook);
        foreach (var hookObject in (Mapping[])[config, secret, policy])
        {
            ((Mapping)hookObject["metadata"]).Add("annotations", HookAnnotations(weight: -1, deleteOnSuccess: true));
        }

        return ChartSecrets.BindInputs
            + ManifestWriter.Render(install, Header, ".Release.IsInstall")
            + ManifestWriter.Render(config, [], ".Release.IsUpgrade", follows: true)
            + ManifestWriter.Render(secret, [], $"and .Release.IsUpgrade ({ChartSecrets.SecretCondition(workload)})", follows: true)
            + ManifestWriter.Render(policy, [], ".Release.IsUpgrade", follows: true)
            + ManifestWriter.Render(upgrade, [], ".Release.IsUpgrade", follows: true);
    }

    /// <summary>A render-time refusal of values that contradict each other, in words (no quotes) that say which to change.</summary>
    private static string Refuse(string condition, string message) =>
        $"{{{{- if {condition} }}}}\n{{{{- fail \"{message}\" }}}}\n{{{{- end }}}}\n";

    private static Mapping HookAnnotations(int weight, bool deleteOnSuccess) => Map(
        ("helm.sh/hook", Text("pre-upgrade")),
        ("helm.sh/hook-weight", Text(weight.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        ("helm.sh/hook-delete-policy", Text(deleteOnSuccess ? "before-hook-creation,hook-succeeded" : "before-hook-creation")));

    /// <summary>
    /// Kubernetes refuses to change a StatefulSet's volume claim templates (pkg/apis/apps/validation/validation.go
    /// ValidateStatefulSetUpdate), so an upgrade with another database volume size or StorageClass would fail half-way,
    /// with the API server's message. The chart reads the live StatefulSet (<c>lookup</c>) and refuses at render time,
    /// before anything changes, saying how to move the data.
    /// </summary>
    private static string StorageGuard(KubernetesWorkload database)
    {
        var values = TemplateValues.ValuesOf(database);
        return $$$"""
            {{- $live := lookup "apps/v1" "StatefulSet" .Release.Namespace ({{{TemplateValues.ObjectName(database.Name).Replace("$", ".", StringComparison.Ordinal)}}}) }}
            {{- range (dig "spec" "volumeClaimTemplates" list $live) }}
            {{- $size := dig "spec" "resources" "requests" "storage" "" . }}
            {{- $class := dig "spec" "storageClassName" "" . }}
            {{- if or (ne $size (toString {{{values}}}.persistence.size)) (and {{{values}}}.persistence.storageClassName (ne $class {{{values}}}.persistence.storageClassName)) }}
            {{- fail (printf "{{{database.Name}}}.persistence cannot change after install: the StatefulSet's volume claims have size %s and StorageClass %s, and Kubernetes forbids changing them. Keep the installed values, or move the data: `dotnet run --project Publisher -- backup --chart --output tasksdb.dump`, `helm uninstall`, delete the database's claim (%s-%s-0), install with the new values, then `dotnet run --project Publisher -- restore --chart tasksdb.dump --yes`." $size (default "(the cluster's default)" $class) (dig "metadata" "name" "" .) ($live.metadata.name)) }}
            {{- end }}
            {{- end }}

            """;
    }

    /// <summary>What <c>helm install</c> prints: how to reach the app and where its secrets are.</summary>
    private static string Notes(KubernetesApp app)
    {
        var entry = app.EntryPoint;
        var service = entry is null ? "" : TemplateValues.ObjectName(entry.Name).Replace("$", ".", StringComparison.Ordinal);
        var port = entry?.Source.Ports[0].ContainerPort ?? 0;
        return entry is null
            ? "{{ .Release.Name }} is installed.\n"
            : $$$"""
                {{ .Release.Name }} is installed in the namespace {{ .Release.Namespace }}.
                {{- if .Values.gateway.enabled }}

                Open https://{{ .Values.ingress.host }} once the Gateway {{ .Values.gateway.name }} accepts the route:
                  kubectl -n {{ .Release.Namespace }} get httproute {{ {{{service}}} }} -o yaml
                {{- else if .Values.ingress.enabled }}

                Open {{ ternary "https" "http" .Values.ingress.tls.enabled }}://{{ .Values.ingress.host }} once the Ingress has an address:
                  kubectl -n {{ .Release.Namespace }} get ingress {{ {{{service}}} }}
                {{- else }}

                Reach the app through a port-forward (or set entryServiceType / ingress.enabled):
                  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ {{{service}}} }} 8080:{{{port}}}
                  open http://localhost:8080
                {{- end }}

                {{- if .Values.externalSecrets.enabled }}

                The External Secrets Operator fills each Secret from the {{ .Values.externalSecrets.secretStoreRef.kind }} {{ .Values.externalSecrets.secretStoreRef.name }}:
                  kubectl -n {{ .Release.Namespace }} get externalsecrets
                {{- else }}

                Generated secrets are kept in the Secret {{ include "{{{ChartName}}}.objectName" (dict "context" . "name" "{{{ChartSecrets.StoreName}}}") }},
                which `helm uninstall` leaves with the database volume; delete both to start from nothing.
                {{- end }}

                """;
    }
}
