using Phase4.Publisher.Model;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>The Kustomize base's values: every field written as it is; overlays and <c>apply</c> patch what differs.</summary>
internal sealed class LiteralValues(KubernetesOptions options) : ObjectValues
{
    public override IReadOnlyList<EnvironmentVariable> SecretSettings(KubernetesWorkload workload) => workload.SecretSettings;

    public override YamlNode Name(string name) => Text(name);

    public override YamlNode SecretName(KubernetesWorkload workload) => Text(workload.SecretName);

    public override YamlMappingNode Labels(KubernetesWorkload workload) => Nodes.Labels(workload.Labels);

    public override YamlMappingNode AppLabels(string name) => Nodes.Labels(KubernetesApp.AppLabels(name));

    public override YamlMappingNode SelectorLabels(string workload) => Nodes.Labels(KubernetesWorkload.SelectorLabelsOf(workload));

    public override YamlMappingNode AppSelectorLabels() => Nodes.Labels(KubernetesApp.AppSelectorLabels);

    public override YamlNode Image(KubernetesWorkload workload) => Text(workload.ImageReference);

    public override YamlNode PullPolicy(KubernetesWorkload workload) => Text(WorkloadDefaults.PullPolicy);

    public override IEnumerable<(string Key, YamlNode? Value)> ImagePullSecrets(KubernetesWorkload workload) => [];

    public override IEnumerable<(string Key, YamlNode? Value)> Replicas(KubernetesWorkload workload) =>
        workload.Scales ? [] : [("replicas", Number(1))];

    public override YamlNode MinReplicas(KubernetesWorkload workload) => Number(WorkloadDefaults.MinReplicas);

    public override YamlNode MaxReplicas(KubernetesWorkload workload) => Number(WorkloadDefaults.MaxReplicas);

    public override YamlNode TargetCpuUtilization(KubernetesWorkload workload) => Number(WorkloadDefaults.TargetCpuUtilization);

    public override IEnumerable<(string Key, YamlNode? Value)> TopologySpread(KubernetesWorkload workload) =>
        workload.Scales ? [("topologySpreadConstraints", WorkloadDefaults.TopologySpread(SelectorLabels(workload.Name)))] : [];

    public override IEnumerable<(string Key, YamlNode? Value)> PodAnnotations(KubernetesWorkload workload) => [];

    public override YamlNode Resources(KubernetesWorkload workload) => WorkloadDefaults.Resources(workload);

    public override YamlNode StorageSize(KubernetesWorkload workload) => Text(WorkloadDefaults.VolumeSize);

    // The cluster's default StorageClass; `apply --storage-class` patches one in.
    public override IEnumerable<(string Key, YamlNode? Value)> StorageClass(KubernetesWorkload workload) => [];

    public override YamlNode ServiceType(KubernetesWorkload workload) => Text("ClusterIP");

    // The controller's default class; `apply --ingress-class` patches one in.
    public override IEnumerable<(string Key, YamlNode? Value)> IngressClass() => [];

    public override IEnumerable<(string Key, YamlNode? Value)> IngressTls() =>
        [("tls", List(Map(("hosts", Texts([KubernetesApp.PlaceholderHost])), ("secretName", Text(KubernetesApp.DefaultTlsSecretName)))))];

    public override YamlNode IngressHost() => Text(KubernetesApp.PlaceholderHost);

    public override IEnumerable<(string Key, YamlNode? Value)> DatabaseConnectionEnv(KubernetesWorkload workload) =>
        workload.Database.IsExternal && workload.DatabaseConnections.Count > 0
            ? [("env", DatabaseSecretEnv(workload, Text(options.DatabaseSecret)))]
            : [];

    public override IEnumerable<YamlNode> DatabaseEgress(KubernetesWorkload database, YamlNode inCluster) =>
        [database.IsExternal ? ExternalDatabaseRule(Text(options.DatabaseCidr), Number(options.DatabasePort)) : inCluster];

    /// <summary>Each connection string from key <c>&lt;workload&gt;</c> of the operator's Secret <paramref name="secret"/>.</summary>
    public static YamlSequenceNode DatabaseSecretEnv(KubernetesWorkload workload, YamlNode secret) =>
        List(workload.DatabaseConnections.Select(connection => (YamlNode)Map(
            ("name", Text(connection.Name)),
            ("valueFrom", Map(("secretKeyRef", Map(("name", secret), ("key", Text(workload.Name)))))))));

    /// <summary>NetworkPolicies select pods, not DNS names: an external database is reached by its addresses and port.</summary>
    public static YamlMappingNode ExternalDatabaseRule(YamlNode cidr, YamlNode port) => Map(
        ("to", List(Map(("ipBlock", Map(("cidr", cidr)))))),
        ("ports", List(Map(("protocol", Text("TCP")), ("port", port)))));

    // The production overlay patches it to the Ingress controller's namespaces.
    public override IEnumerable<YamlNode> EntryPointIngress(KubernetesWorkload workload, YamlNode fromAnywhere) => [fromAnywhere];

    // The production overlay adds the backup and patches this rule in.
    public override IEnumerable<YamlNode> BackupIngress(KubernetesWorkload database) => [];

    public override YamlNode Argument(KubernetesWorkload workload, ValueTemplate value) => Text(value.Render(_ => ""));

    public override YamlNode Setting(KubernetesWorkload workload, string key, ValueTemplate value) => Text(value.Render(_ => ""));
}
