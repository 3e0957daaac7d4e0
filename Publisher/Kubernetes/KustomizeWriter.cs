using Phase4.Publisher.Yaml;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// Writes the Kustomize layout (Aspirate's): the base at the top of the output folder (namespace, policies, a folder
/// per resource with its objects and generators) and the overlays <c>overlays/minikube</c> and
/// <c>overlays/production</c>. Returns file contents by path relative to the output folder.
/// </summary>
internal static class KustomizeWriter
{
    public const int ProductionMinReplicas = 2;


    public static readonly string[] Overlays = ["minikube", "production"];

    public static SortedDictionary<string, string> Write(KubernetesApp app)
    {
        var Values = new LiteralValues(app.Options);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string path, Node root) => files[path] = ManifestWriter.Write(root, Header);

        Add("namespace.yaml", Namespace(app));
        Add("network-policies/default-deny.yaml", NetworkPolicies.DefaultDeny(Values));
        Add("network-policies/allow-dns.yaml", NetworkPolicies.AllowDns(Values));
        Add("network-policies/kustomization.yaml", Kustomization(("resources", Texts(["default-deny.yaml", "allow-dns.yaml"]))));
        Add("kustomization.yaml", Kustomization(
            ("namespace", Text(app.Namespace)),
            ("resources", Texts(["namespace.yaml", .. Components(app)]))));

        foreach (var workload in app.Workloads.Where(w => !w.IsExternal))
        {
            var resources = new List<string> { "workload.yaml", "network-policy.yaml" };
            var external = app.Options.UsesExternalSecrets && workload.SecretSettings.Count > 0;
            if (external)
            {
                // The Secret comes from the operator's store: no values of it in this folder.
                Add($"{workload.Name}/external-secret.yaml", ExternalSecrets.For(workload, Values));
                resources.Add("external-secret.yaml");
            }

            Add($"{workload.Name}/workload.yaml", WorkloadObjects.Workload(workload, Values));
            Add($"{workload.Name}/network-policy.yaml", NetworkPolicies.For(workload, app, Values));
            if (workload.Source.Ports.Count > 0)
            {
                Add($"{workload.Name}/service.yaml", WorkloadObjects.Service(workload, Values));
                resources.Insert(1, "service.yaml");
            }

            if (workload.IsStateful)
            {
                Add($"{workload.Name}/headless-service.yaml", WorkloadObjects.HeadlessService(workload, Values));
                resources.Add("headless-service.yaml");
            }

            if (workload.Scales)
            {
                Add($"{workload.Name}/autoscaler.yaml", WorkloadObjects.Autoscaler(workload, Values));
                Add($"{workload.Name}/disruption-budget.yaml", WorkloadObjects.DisruptionBudget(workload, Values));
                resources.AddRange(["autoscaler.yaml", "disruption-budget.yaml"]);
            }

            Add($"{workload.Name}/kustomization.yaml", Kustomization(
                ("resources", Texts(resources)),
                ("configMapGenerator", List(Map(
                    ("name", Text(workload.ConfigName)),
                    ("options", GeneratedLabels(workload)),
                    ("literals", Texts(workload.Settings.Select(setting => $"{setting.Key}={setting.Value}")))))),
                ("secretGenerator", workload.SecretSettings.Count == 0 || external ? null : List(Map(
                    ("name", Text(workload.SecretName)),
                    ("options", GeneratedLabels(workload)),
                    ("envs", Texts([workload.SecretsFileName])))))));
        }

        WriteMinikube(app, Add);
        WriteProduction(app, Values, Add);
        return files;
    }

    /// <summary>
    /// The folders the base and every overlay are made of. Overlays list them rather than the top folder, which
    /// contains the overlays (Kustomize refuses such a cycle), and carry their own copy of the namespace.
    /// </summary>
    private static IEnumerable<string> Components(KubernetesApp app) => ["network-policies", .. app.Workloads.Where(w => !w.IsExternal).Select(w => w.Name)];

    /// <summary>Generated objects carry the workload's labels too, so <c>destroy</c> finds them.</summary>
    private static Mapping GeneratedLabels(KubernetesWorkload workload) => Map(("labels", Labels(workload.Labels)));

    private static Mapping Namespace(KubernetesApp app) => ObjectWriter.ToNode(new Manifest.Objects.Namespace(new ObjectMeta(
        app.Namespace,
        Labels([
            KeyValuePair.Create("pod-security.kubernetes.io/enforce", "restricted"),
            KeyValuePair.Create("pod-security.kubernetes.io/warn", "restricted"),
        ]))));

    private static Mapping OverlayKustomization(KubernetesApp app, IEnumerable<string> resources, params Entry[] entries) => Kustomization(
        [("namespace", Text(app.Namespace)),
         ("resources", Texts(["namespace.yaml", .. Components(app).Select(folder => "../../" + folder), .. resources])),
         .. entries]);

    private static readonly string[] Header =
    [
        "Generated from the AppHost model by the Phase4 publisher; do not edit. Regenerate with:",
        "  dotnet run --project Publisher -- generate",
    ];

    /// <summary>Locally built images (the base's IfNotPresent), the entry point on a NodePort for `minikube service`.</summary>
    private static void WriteMinikube(KubernetesApp app, Action<string, Node> add)
    {
        var patches = new List<Node>();
        if (app.EntryPoint is { } entry)
        {
            add("overlays/minikube/entry-service.yaml", Map(
                ("apiVersion", Text("v1")),
                ("kind", Text("Service")),
                ("metadata", Map(("name", Text(entry.Name)))),
                ("spec", Map(("type", Text("NodePort"))))));
            patches.Add(Map(("path", Text("entry-service.yaml"))));
        }

        add("overlays/minikube/namespace.yaml", Namespace(app));
        add("overlays/minikube/kustomization.yaml", OverlayKustomization(app, [], ("patches", patches.Count > 0 ? List(patches) : null)));
    }

    /// <summary>
    /// At least two replicas of every stateless workload, an Ingress with TLS and the proxy settings that go with it.
    /// The registry, the host and the tag are the cluster's: <c>apply --overlay production --registry --host</c> pins
    /// them in the kustomization it writes over this overlay.
    /// </summary>
    private static void WriteProduction(KubernetesApp app, LiteralValues values, Action<string, Node> add)
    {
        var resources = new List<string>();
        var patches = new List<Node>();
        foreach (var workload in app.Workloads.Where(w => w.Scales))
        {
            add($"overlays/production/{workload.Name}-autoscaler.yaml", Map(
                ("apiVersion", Text("autoscaling/v2")),
                ("kind", Text("HorizontalPodAutoscaler")),
                ("metadata", Map(("name", Text(workload.Name)))),
                ("spec", Map(("minReplicas", Number(ProductionMinReplicas))))));
            patches.Add(Map(("path", Text($"{workload.Name}-autoscaler.yaml"))));
        }

        if (app.EntryPoint is { } entry)
        {
            add("overlays/production/ingress.yaml", WorkloadObjects.Ingress(entry, values));
            resources.Add("ingress.yaml");
            // Its NetworkPolicy's first rule (from anywhere) becomes: from the Ingress controller's namespace only.
            add($"overlays/production/{entry.Name}-network-policy.patch.yaml", List(Map(
                ("op", Text("replace")),
                ("path", Text("/spec/ingress/0")),
                ("value", ObjectWriter.ToNode(NetworkPolicies.FromNamespaces(entry, ClusterSettings.IngressControllerNamespaces.ToArray()))))));
            patches.Add(Map(("path", Text($"{entry.Name}-network-policy.patch.yaml")), ("target", Map(("kind", Text("NetworkPolicy")), ("name", Text(entry.Name))))));
        }

        if (app.DatabaseWorkload is { IsExternal: false } database)
        {
            add($"overlays/production/{DatabaseBackup.Name}.yaml",
                DatabaseBackup.CronJob(database, values, DatabaseBackup.DefaultSchedule, DatabaseBackup.DefaultRetention.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            add($"overlays/production/{DatabaseBackup.ClaimName}-claim.yaml", DatabaseBackup.Claim(values, DatabaseBackup.DefaultStorage, null));
            add($"overlays/production/{DatabaseBackup.Name}-network-policy.yaml", DatabaseBackup.NetworkPolicy(database, values));
            resources.AddRange([$"{DatabaseBackup.Name}.yaml", $"{DatabaseBackup.ClaimName}-claim.yaml", $"{DatabaseBackup.Name}-network-policy.yaml"]);
            // The database's policy gains the backup's rule (RFC 6902 add to the end of the ingress list).
            add($"overlays/production/{database.Name}-network-policy.patch.yaml", List(Map(
                ("op", Text("add")),
                ("path", Text("/spec/ingress/-")),
                ("value", ObjectWriter.ToNode(DatabaseBackup.DatabaseIngressRule(database, values))))));
            patches.Add(Map(("path", Text($"{database.Name}-network-policy.patch.yaml")), ("target", Map(("kind", Text("NetworkPolicy")), ("name", Text(database.Name))))));
        }

        var merged = app.Workloads
            .Select(workload => (workload, Literals: ProductionSettings(workload).Select(setting => $"{setting.Key}={setting.Value}").ToList()))
            .Where(entry => entry.Literals.Count > 0)
            .Select(entry => (Node)Map(
                ("name", Text(entry.workload.ConfigName)),
                ("behavior", Text("merge")),
                ("literals", Texts(entry.Literals))))
            .ToList();
        add("overlays/production/namespace.yaml", Namespace(app));
        add("overlays/production/kustomization.yaml", OverlayKustomization(app, resources,
            ("patches", List(patches)),
            ("configMapGenerator", merged.Count > 0 ? List(merged) : null)));
    }

    /// <summary>
    /// Behind the production Ingress the frontend believes the X-Forwarded-For of the pod network, where the controller
    /// runs (it sets or appends the address it saw), and only the controller's namespace may reach it (its NetworkPolicy
    /// patch); the public origin may call the MCP server.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> ProductionSettings(KubernetesWorkload workload) =>
        ProductionSettings(workload, KubernetesApp.PlaceholderHost);

    /// <summary>The production settings for the public origin <c>https://</c><paramref name="host"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ProductionSettings(KubernetesWorkload workload, string host)
    {
        var keys = workload.Settings.Select(setting => setting.Key).ToHashSet(StringComparer.Ordinal);
        if (keys.Contains(ClusterSettings.TrustedProxiesKey))
        {
            // The controller's pods are somewhere in the pod network; the frontend's NetworkPolicy admits only its namespace.
            yield return KeyValuePair.Create(ClusterSettings.TrustedProxiesKey, ClusterSettings.PrivateNetworks);
        }

        if (keys.Contains(ClusterSettings.PublicOriginKey))
        {
            yield return KeyValuePair.Create(ClusterSettings.PublicOriginKey, $"https://{host}");
        }

        if (keys.Contains(ClusterSettings.AllowedOriginsKey))
        {
            yield return KeyValuePair.Create(ClusterSettings.AllowedOriginsKey, $"https://{host}");
        }
    }

    private static Mapping Kustomization(params Entry[] entries) => Map(
        [("apiVersion", Text("kustomize.config.k8s.io/v1beta1")), ("kind", Text("Kustomization")), .. entries]);
}
