using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>The Kustomize base's values: every field written as it is; overlays and <c>apply</c> patch what differs.</summary>
internal sealed class LiteralValues(KubernetesOptions options) : ObjectValues
{
    public override IReadOnlyList<EnvironmentVariable> SecretSettings(KubernetesWorkload workload) => workload.SecretSettings;

    public override Node Name(string name) => Text(name);

    public override Node SecretName(KubernetesWorkload workload) => Text(workload.SecretName);

    public override Mapping Labels(KubernetesWorkload workload) => Nodes.Labels(workload.Labels);

    public override Mapping AppLabels(string name) => Nodes.Labels(KubernetesApp.AppLabels(name));

    public override Mapping SelectorLabels(string workload) => Nodes.Labels(KubernetesWorkload.SelectorLabelsOf(workload));

    public override Mapping AppSelectorLabels() => Nodes.Labels(KubernetesApp.AppSelectorLabels);

    public override Node Image(KubernetesWorkload workload) => Text(workload.ImageReference);

    public override Node PullPolicy(KubernetesWorkload workload) => Text(WorkloadDefaults.PullPolicy);

    public override Value<LocalObjectReference[]>? ImagePullSecrets(KubernetesWorkload workload) => null;

    public override Value<int>? Replicas(KubernetesWorkload workload) => workload.Scales ? null : 1;

    public override Value<int> MinReplicas(KubernetesWorkload workload) => WorkloadDefaults.MinReplicas;

    public override Value<int> MaxReplicas(KubernetesWorkload workload) => WorkloadDefaults.MaxReplicas;

    public override Value<int> TargetCpuUtilization(KubernetesWorkload workload) => WorkloadDefaults.TargetCpuUtilization;

    public override Value<Item<TopologySpreadConstraint>[]>? TopologySpread(KubernetesWorkload workload) =>
        workload.Scales ? (Value<Item<TopologySpreadConstraint>[]>)WorkloadDefaults.TopologySpread(SelectorLabels(workload.Name)) : null;

    public override Mapping? PodAnnotations(KubernetesWorkload workload) => null;

    public override Node Resources(KubernetesWorkload workload) => WorkloadDefaults.Resources(workload);

    public override Node StorageSize(KubernetesWorkload workload) => Text(WorkloadDefaults.VolumeSize);

    // The cluster's default StorageClass; `apply --storage-class` patches one in.
    public override Value<string>? StorageClass(KubernetesWorkload workload) => null;

    public override Node ServiceType(KubernetesWorkload workload) => Text("ClusterIP");

    // The controller's default class; `apply --ingress-class` patches one in.
    public override Value<string>? IngressClass() => null;

    public override Value<IngressTls[]> IngressTls() => new IngressTls[] { new([KubernetesApp.PlaceholderHost], KubernetesApp.DefaultTlsSecretName) };

    public override Node IngressHost() => Text(KubernetesApp.PlaceholderHost);

    // `apply --cert-issuer` / `--cluster-issuer` patch them in.
    public override Value<Mapping>? IngressAnnotations() => null;

    public override SecretStoreRef SecretStore() => new(options.SecretStore, options.SecretStoreKind);

    public override Value<string> SecretRefreshInterval() => ExternalSecrets.DefaultRefreshInterval;

    public override Value<string> RemoteKey(DeploymentInput input) => options.RemoteKeyPrefix + input.ParameterName;

    public override Node SecretTemplate(ValueTemplate value) => Text(value.Render(_ => throw new InvalidOperationException("Inputs are template references by now.")));

    // The base's secret settings are those of its database mode already (KubernetesWorkload.SecretSettings).
    public override Entry ForInClusterDatabase(Entry entry) => entry;

    public override Item<ExternalSecretData> ForInClusterDatabase(ExternalSecretData item) => item;

    public override Value<EnvVar[]>? DatabaseConnectionEnv(KubernetesWorkload workload) =>
        workload.Database.IsExternal && workload.DatabaseConnections.Count > 0
            ? (Value<EnvVar[]>)DatabaseSecretEnv(workload, options.DatabaseSecret)
            : null;

    public override Item<NetworkPolicyEgressRule> DatabaseEgress(KubernetesWorkload database, NetworkPolicyEgressRule inCluster) =>
        database.IsExternal ? ExternalDatabaseRule(options.DatabaseCidr, options.DatabasePort) : inCluster;

    /// <summary>Each connection string from key <c>&lt;workload&gt;</c> of the operator's Secret <paramref name="secret"/>.</summary>
    public static EnvVar[] DatabaseSecretEnv(KubernetesWorkload workload, Value<string> secret) =>
        [.. workload.DatabaseConnections.Select(connection => new EnvVar(connection.Name, ValueFrom: new EnvVarSource(new SecretKeySelector(secret, workload.Name))))];

    /// <summary>NetworkPolicies select pods, not DNS names: an external database is reached by its addresses and port.</summary>
    public static NetworkPolicyEgressRule ExternalDatabaseRule(Value<string> cidr, Value<int> port) =>
        new([new NetworkPolicyPeer(IpBlock: new IpBlock(cidr))], [new NetworkPolicyPort("TCP", port)]);

    // The production overlay patches it to the Ingress controller's namespaces.
    public override Item<NetworkPolicyIngressRule> EntryPointIngress(KubernetesWorkload workload, NetworkPolicyIngressRule fromAnywhere) => fromAnywhere;

    // The production overlay adds the backup and patches this rule in.
    public override IEnumerable<Item<NetworkPolicyIngressRule>> BackupIngress(KubernetesWorkload database) => [];

    public override Node Argument(KubernetesWorkload workload, ValueTemplate value) => Text(value.Render(_ => ""));

    public override Node Setting(KubernetesWorkload workload, string key, ValueTemplate value) => Text(value.Render(_ => ""));
}
