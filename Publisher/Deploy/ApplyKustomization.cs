using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Yaml;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Deploy;

/// <summary>What <c>apply</c> pins over an overlay: the image tag (and registry), the public host and the storage.</summary>
internal sealed record ApplySettings(string Overlay, ImageTags Tags)
{
    public string? Registry { get; init; }

    public string? Host { get; init; }

    public string? TlsSecret { get; init; }

    public string? IngressClass { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>The Secret every pod pulls its images with (<c>--pull-secret</c>): in each pod template's <c>imagePullSecrets</c>.</summary>
    public string? PullSecret { get; init; }

    /// <summary><c>--create-pull-secret</c>: the pull Secret apply creates or updates, from the registry's credentials.</summary>
    public RegistryPullSecret? NewPullSecret { get; init; }
    /// <summary>The operator's Gateway: the production overlay routes through an HTTPRoute to it instead of its Ingress.</summary>
    public GatewayRef? Gateway { get; init; }

    /// <summary>The cert-manager issuer that issues the Ingress's TLS Secret (its ingress-shim annotation).</summary>
    public CertIssuer? Issuer { get; init; }
}

/// <summary>A Gateway, in <paramref name="Namespace"/> (the app's when null), optionally one of its listeners.</summary>
internal sealed record GatewayRef(string Name, string? Namespace, string? Section);

/// <summary>cert-manager's annotation (<c>cert-manager.io/issuer</c> or <c>cert-manager.io/cluster-issuer</c>) and the issuer it names.</summary>
internal sealed record CertIssuer(string Annotation, string Name)
{
    public const string Namespaced = "cert-manager.io/issuer";

    public const string Cluster = "cert-manager.io/cluster-issuer";
}

/// <summary>
/// The kustomization <c>apply</c> writes to <c>&lt;output&gt;/.deploy/&lt;overlay&gt;/</c> (git-ignored) and applies: the
/// overlay, every image built here at its tag (its build-input digest, or <c>--tag</c>) (and registry), and JSON patches (RFC 6902, Kustomize's
/// <c>patches</c> with a <c>target</c>) for the Ingress host, TLS Secret, IngressClass and the data volumes'
/// StorageClass and every pod template's <c>imagePullSecrets</c>, plus the settings that follow from the host. The
/// generated overlays stay untouched.
/// <c>patches</c> with a <c>target</c>) for the Ingress host, TLS Secret, IngressClass, cert-manager issuer and the data
/// volumes' StorageClass, plus the settings that follow from the host; or, with a Gateway, an HTTPRoute in place of the
/// Ingress. The generated overlays stay untouched.
/// </summary>
internal static class ApplyKustomization
{
    public const string Folder = ".deploy";

    private static readonly string[] Header = ["Written by `Publisher apply`; not committed."];

    /// <summary>The HTTPRoute of an apply with a Gateway (destroy looks for it).</summary>
    public const string RouteFile = "httproute.yaml";

    /// <summary>File contents by name, relative to the folder.</summary>
    public static SortedDictionary<string, string> Write(KubernetesApp app, ApplySettings settings)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var patches = new List<Node>();
        void Patch(string file, string kind, string name, IEnumerable<Node> operations)
        {
            files[file] = ManifestWriter.Write(List(operations), Header);
            patches.Add(Map(("path", Text(file)), ("target", Map(("kind", Text(kind)), ("name", Text(name))))));
        }

        var resources = new List<string>();
        if (app.EntryPoint is { } routed && settings.Overlay == "production" && settings.Gateway is { } gateway)
        {
            // The HTTPRoute instead of the overlay's Ingress (a strategic-merge patch deleting it), and the entry point's
            // NetworkPolicy admits the Gateway's namespace instead of the Ingress controllers'.
            files[RouteFile] = ManifestWriter.Write(WorkloadObjects.HttpRoute(routed, new LiteralValues(app.Options),
                new ParentReference(gateway.Name, Optional(gateway.Namespace), Optional(gateway.Section)), Text(settings.Host ?? KubernetesApp.PlaceholderHost)), Header);
            resources.Add(RouteFile);
            files["ingress.delete.yaml"] = ManifestWriter.Write(Map(
                ("apiVersion", Text("networking.k8s.io/v1")), ("kind", Text("Ingress")), ("metadata", Map(("name", Text(routed.Name)))), ("$patch", Text("delete"))), Header);
            patches.Add(Map(("path", Text("ingress.delete.yaml"))));
            Patch($"{routed.Name}-network-policy.patch.yaml", "NetworkPolicy", routed.Name, [Map(
                ("op", Text("replace")),
                ("path", Text("/spec/ingress/0")),
                ("value", ObjectWriter.ToNode(NetworkPolicies.FromNamespaces(routed, new[] { gateway.Namespace ?? app.Namespace }))))]);
        }
        else if (app.EntryPoint is { } entry && settings.Overlay == "production")
        {
            var host = settings.Host ?? KubernetesApp.PlaceholderHost;
            var operations = new List<Node>
            {
                Operation("replace", "/spec/rules/0/host", host),
                Operation("replace", "/spec/tls/0/hosts/0", host),
                Operation("replace", "/spec/tls/0/secretName", settings.TlsSecret ?? KubernetesApp.DefaultTlsSecretName),
            };
            if (settings.IngressClass is { } ingressClass)
            {
                operations.Add(Operation("add", "/spec/ingressClassName", ingressClass));
            }

            if (settings.Issuer is { } issuer)
            {
                // ingress-shim issues the TLS Secret the Ingress names (cert-manager docs, usage/ingress.md).
                operations.Add(Map(("op", Text("add")), ("path", Text("/metadata/annotations")), ("value", Map((issuer.Annotation, Text(issuer.Name))))));
            }

            Patch("ingress.patch.yaml", "Ingress", entry.Name, operations);
        }

        if (settings.StorageClass is { } storageClass)
        {
            foreach (var workload in app.Workloads.Where(w => w.IsStateful && !w.IsExternal))
            {
                Patch($"{workload.Name}-storage.patch.yaml", workload.Kind, workload.Name,
                    workload.Source.Volumes.Select((_, index) => Operation("add", $"/spec/volumeClaimTemplates/{index}/spec/storageClassName", storageClass)));
            }

            // The production overlay's backups have a claim of their own: on the same class.
            if (settings.Overlay == "production" && app.DatabaseWorkload is { IsExternal: false })
            {
                Patch("backups-storage.patch.yaml", "PersistentVolumeClaim", DatabaseBackup.ClaimName, [Operation("add", "/spec/storageClassName", storageClass)]);
            }
        }

        if (settings.PullSecret is { } pullSecret)
        {
            // One patch per kind, targeting every object of it (a target without a name), so each pod template the overlay
            // renders gets the Secret, the dashboard's and the backup's included. Patching the namespace's default
            // ServiceAccount instead would reach other pods of the namespace and an object the app does not own.
            foreach (var (kind, template) in PodTemplates(app, settings))
            {
                var operation = Map(("op", Text("add")), ("path", Text($"{template}/imagePullSecrets")), ("value", List(Map(("name", Text(pullSecret))))));
                files[$"{kind.ToLowerInvariant()}-pull-secret.patch.yaml"] = ManifestWriter.Write(List(operation), Header);
                patches.Add(Map(("path", Text($"{kind.ToLowerInvariant()}-pull-secret.patch.yaml")), ("target", Map(("kind", Text(kind))))));
            }
        }

        var merged = settings.Overlay == "production" && settings.Host is { } publicHost
            ? app.Workloads
                .Select(workload => (workload, Literals: KustomizeWriter.ProductionSettings(workload, publicHost).Select(s => $"{s.Key}={s.Value}").ToList()))
                .Where(entry => entry.Literals.Count > 0)
                .Select(entry => (Node)Map(("name", Text(entry.workload.ConfigName)), ("behavior", Text("merge")), ("literals", Texts(entry.Literals))))
                .ToList()
            : [];

        files["kustomization.yaml"] = ManifestWriter.Write(Map(
            ("apiVersion", Text("kustomize.config.k8s.io/v1beta1")),
            ("kind", Text("Kustomization")),
            // This folder's own objects (the HTTPRoute) go to the app's namespace, as the overlay's do.
            ("namespace", resources.Count > 0 ? Text(app.Namespace) : null),
            ("resources", Texts([$"../../overlays/{settings.Overlay}", .. resources])),
            ("images", List(app.Workloads.Where(w => w.Source.IsBuiltHere).DistinctBy(w => w.ImageName).Select(w => (Node)Map(
                ("name", Text(w.ImageName)),
                ("newName", settings.Registry is null ? null : Text(ImageBuild.Repository(settings.Registry, w))),
                ("newTag", Text(settings.Tags.TagOf(w))))))),
            ("patches", patches.Count > 0 ? List(patches) : null),
            ("configMapGenerator", merged.Count > 0 ? List(merged) : null)), Header);
        return files;
    }

    /// <summary>The kinds with pod templates in the overlay, and where each holds its pod spec.</summary>
    private static IEnumerable<(string Kind, string PodSpec)> PodTemplates(KubernetesApp app, ApplySettings settings) =>
    [
        .. app.Workloads.Where(w => !w.IsExternal).Select(w => w.Kind).Distinct().Order(StringComparer.Ordinal).Select(kind => (kind, "/spec/template/spec")),
        .. settings.Overlay == "production" && app.DatabaseWorkload is { IsExternal: false }
            ? [("CronJob", "/spec/jobTemplate/spec/template/spec")]
            : Array.Empty<(string, string)>(),
    ];
    private static Value<string>? Optional(string? value) => value is null ? null : (Value<string>)value;

    private static Mapping Operation(string op, string path, string value) =>
        Map(("op", Text(op)), ("path", Text(path)), ("value", Text(value)));
}
