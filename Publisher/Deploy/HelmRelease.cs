using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// The Helm route (<c>apply --chart</c>, <c>Publisher:Format=helm</c>): Helm is the release manager, as Aspire 13's
/// Kubernetes deploy pipeline uses it (<c>helm upgrade --install</c> on deploy, <c>helm uninstall</c> on destroy): its
/// release history, its waiting and its rollback. The release is <see cref="Name"/> in the app's namespace, so its
/// objects are <c>phase4-&lt;name&gt;</c>.
/// </summary>
internal static class HelmRelease
{
    public const string Name = KubernetesApp.Instance;

    public const string Format = "helm";

    public const string Timeout = "10m";

    /// <summary>The name the chart gives an object: <c>&lt;release&gt;-&lt;name&gt;</c> (the release holds the chart's name).</summary>
    public static string ObjectName(string name) => $"{Name}-{name}";

    /// <summary>
    /// The chart's values for this apply, written to a file (mode 0600; never on a command line), none of them secret: each image's tag
    /// (its build-input digest) or one <c>imageTag</c>, the registry and its pull secret, and what the production overlay sets — the Ingress
    /// (or the Gateway's HTTPRoute) and its host, two replicas at least, nightly backups — or Minikube's NodePort; the storage classes of the
    /// database's and the backups' volumes.
    /// </summary>
    public static string Values(KubernetesApp app, ApplySettings settings)
    {
        var values = new JsonObject();
        if (settings.Tags.Fixed is { } tag)
        {
            values["imageTag"] = tag;
        }

        foreach (var workload in app.Workloads.Where(w => w.Source.IsBuiltHere))
        {
            Section(values, workload.Name)["image"] = new JsonObject { ["tag"] = settings.Tags.TagOf(workload) };
        }

        if (settings.Registry is { } registry)
        {
            values["imageRegistry"] = registry;
        }

        if (settings.PullSecret is { } pullSecret)
        {
            values["imagePullSecrets"] = new JsonArray(new JsonObject { ["name"] = pullSecret });
        }

        if (settings.Overlay == "production")
        {
            values["ingress"] = new JsonObject
            {
                ["enabled"] = settings.Gateway is null,
                ["host"] = settings.Host ?? KubernetesApp.PlaceholderHost,
                ["className"] = settings.IngressClass ?? "",
                ["tls"] = new JsonObject
                {
                    ["enabled"] = true,
                    ["secretName"] = settings.TlsSecret ?? KubernetesApp.DefaultTlsSecretName,
                    ["issuer"] = settings.Issuer is { Annotation: CertIssuer.Namespaced } issuer ? issuer.Name : "",
                    ["clusterIssuer"] = settings.Issuer is { Annotation: CertIssuer.Cluster } clusterIssuer ? clusterIssuer.Name : "",
                },
            };
            if (settings.Gateway is { } gateway)
            {
                values["gateway"] = new JsonObject { ["enabled"] = true, ["name"] = gateway.Name, ["namespace"] = gateway.Namespace ?? "", ["sectionName"] = gateway.Section ?? "" };
            }

            foreach (var workload in app.Workloads.Where(w => w.Scales))
            {
                Section(values, workload.Name)["autoscaling"] = new JsonObject { ["minReplicas"] = KustomizeWriter.ProductionMinReplicas };
            }

            if (app.DatabaseWorkload is not null)
            {
                values["backup"] = new JsonObject { ["enabled"] = true };
            }
        }
        else
        {
            values["entryServiceType"] = "NodePort";
        }

        if (settings.StorageClass is { } storageClass && app.DatabaseWorkload is { } database)
        {
            Section(values, database.Name)["persistence"] = new JsonObject { ["storageClassName"] = storageClass };
            if (values["backup"] is JsonObject backup)
            {
                backup["storage"] = new JsonObject { ["storageClassName"] = storageClass };
            }
        }

        // JSON is YAML: helm reads it with -f.
        return values.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>
    /// The values only the operator has, for helm's standard input (<c>--values -</c>): the model's key, from the
    /// environment as the Kustomize route takes it (the chart keeps it across upgrades); null when there is none.
    /// </summary>
    public static string? SecretValues(KubernetesApp app, Func<string, string?> environment) =>
        app.Inputs.Contains(ClusterSettings.AiApiKey) && environment("AI_API_KEY") is { Length: > 0 } key
            ? new JsonObject { ["secrets"] = new JsonObject { [ChartSecrets.ValueKey(ClusterSettings.AiApiKey)] = key } }.ToJsonString() + "\n"
            : null;

    /// <summary>
    /// <c>--values FILE</c>, then <c>--values -</c> when secret values come on standard input: helm merges the files in
    /// order (helm template --help: "-f, --values … can specify multiple") and reads "-" from standard input (helm
    /// pkg/cli/values/options.go readFile: "load a file from stdin, the local directory, or a remote file").
    /// </summary>
    private static string[] ValuesArguments(string valuesFile, bool secretValues) =>
        secretValues ? ["--values", valuesFile, "--values", "-"] : ["--values", valuesFile];

    private static JsonObject Section(JsonObject values, string name) =>
        values[name] as JsonObject ?? (JsonObject)(values[name] = new JsonObject());

    private static string[] Helm(KubeContext context, params string[] arguments) =>
        ["helm", .. arguments, "--kube-context", context.Name, "--namespace", context.Namespace];

    /// <summary>
    /// <c>helm upgrade --install</c> (helm upgrade --help, Helm 4.1: "-i, --install: if a release by this name doesn't
    /// already exist, run an install"), with <c>--wait</c> (the watcher strategy: until every resource is ready, up to
    /// <c>--timeout</c>) and <c>--rollback-on-failure</c> (Helm 4's name for Helm 3's <c>--atomic</c>: "Helm will rollback
    /// the upgrade to previous success release upon failure"; on a first install, it uninstalls). The namespace is the
    /// app's, created beforehand with its Pod Security labels (<see cref="Namespace"/>), so no <c>--create-namespace</c>.
    /// </summary>
    public static string[] Upgrade(KubeContext context, string chart, string valuesFile, bool secretValues = false) => Helm(context,
        ["upgrade", "--install", Name, chart, .. ValuesArguments(valuesFile, secretValues), "--wait", "--timeout", Timeout, "--rollback-on-failure"]);

    /// <summary>
    /// The namespace with its Pod Security labels, from the generated <c>namespace.yaml</c> (Helm's
    /// <c>--create-namespace</c> would create it without them).
    /// </summary>
    public static string[] Namespace(KubeContext context, string namespaceFile) => context.Kubectl("apply", "-f", namespaceFile);

    /// <summary>
    /// The chart as this upgrade would install it, with the cluster's stored values (<c>--dry-run=server</c>: "simulates
    /// the operation on the server", so <c>lookup</c> reads the generated secrets and the live StatefulSet; helm template
    /// --help), for the same server-side dry run as the Kustomize route. Its output holds the Secrets: read into memory.
    /// </summary>
    public static string[] Template(KubeContext context, string chart, string valuesFile, bool secretValues = false) => Helm(context,
        ["template", Name, chart, .. ValuesArguments(valuesFile, secretValues), "--dry-run=server"]);

    /// <summary>
    /// <c>helm uninstall --wait</c>: deletes the release's objects and its history; the StatefulSet's claims (Kubernetes
    /// never deletes them) and the Secret of generated values (<c>helm.sh/resource-policy: keep</c>) stay.
    /// </summary>
    public static string[] Uninstall(KubeContext context) => Helm(context, "uninstall", Name, "--wait", "--timeout", Timeout);

    /// <summary>
    /// Hook objects are not part of the release ("The resources that a hook creates are currently not tracked or managed
    /// as part of the release", Helm docs, Chart Hooks), so the upgrade migrator's Job and its settings are deleted by
    /// their labels after the uninstall; the kept Secret of generated values has no component label and stays.
    /// </summary>
    public static string[] DeleteHookObjects(KubeContext context) => context.Kubectl(
        "-n", context.Namespace, "delete", "job,configmap,secret,networkpolicy",
        "-l", $"app.kubernetes.io/instance={Name},app.kubernetes.io/managed-by=Helm,app.kubernetes.io/component={DeployCommands.JobComponent}",
        "--ignore-not-found", "--wait=true");

    /// <summary>
    /// <c>helm rollback RELEASE [REVISION]</c>: without a revision, the previous one ("If this argument is omitted or set
    /// to 0, it will roll back to the previous release", helm rollback --help), waiting as the upgrade does.
    /// </summary>
    public static string[] Rollback(KubeContext context, int? revision) => Helm(context,
        ["rollback", Name, .. revision is { } number ? [number.ToString(System.Globalization.CultureInfo.InvariantCulture)] : Array.Empty<string>(), "--wait", "--timeout", Timeout]);
}
