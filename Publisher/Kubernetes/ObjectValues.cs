using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The fields of the Kubernetes objects that differ between a deployment and another: object names, labels, images,
/// replica counts, resources, storage, the Ingress and the settings' values. The object builders
/// (<see cref="WorkloadObjects"/>, <see cref="NetworkPolicies"/>) ask for them here, so the Kustomize base writes them
/// as literals (<see cref="LiteralValues"/>) and the Helm chart as template expressions over its values, from the same
/// code. A typed field (<see cref="Value{T}"/>) is a literal, an expression, or absent (null), or in the chart made
/// conditional on a value (<c>if</c>, <c>with</c>); a list of rules may hold a chart's <c>if</c>/<c>else</c> (<see cref="Item{T}"/>).
/// </summary>
internal abstract class ObjectValues
{
    /// <summary>The workload's settings that go to its Secret (the chart keeps those of both database modes).</summary>
    public abstract IReadOnlyList<EnvironmentVariable> SecretSettings(KubernetesWorkload workload);

    /// <summary>An object's name, or a reference to one (a Secret, a ConfigMap, a Service).</summary>
    public abstract Node Name(string name);

    /// <summary>The name of the Secret a workload's pods read (the chart lets an operator name an existing one).</summary>
    public abstract Node SecretName(KubernetesWorkload workload);

    public abstract Mapping Labels(KubernetesWorkload workload);

    /// <summary>Labels of objects that belong to the whole app (the shared NetworkPolicies), named <paramref name="name"/>.</summary>
    public abstract Mapping AppLabels(string name);

    /// <summary>The labels that select a workload's pods: stable across versions.</summary>
    public abstract Mapping SelectorLabels(string workload);

    /// <summary>The labels that select every pod of this app (and nothing else in the namespace).</summary>
    public abstract Mapping AppSelectorLabels();

    public abstract Node Image(KubernetesWorkload workload);

    public abstract Node PullPolicy(KubernetesWorkload workload);

    public abstract Value<LocalObjectReference[]>? ImagePullSecrets(KubernetesWorkload workload);

    /// <summary>A Deployment's or StatefulSet's replica count: absent where an autoscaler owns it.</summary>
    public abstract Value<int>? Replicas(KubernetesWorkload workload);

    public abstract Value<int> MinReplicas(KubernetesWorkload workload);

    public abstract Value<int> MaxReplicas(KubernetesWorkload workload);

    public abstract Value<int> TargetCpuUtilization(KubernetesWorkload workload);

    public abstract Value<Item<TopologySpreadConstraint>[]>? TopologySpread(KubernetesWorkload workload);

    public abstract Mapping? PodAnnotations(KubernetesWorkload workload);

    public abstract Node Resources(KubernetesWorkload workload);

    public abstract Node StorageSize(KubernetesWorkload workload);

    public abstract Value<string>? StorageClass(KubernetesWorkload workload);

    public abstract Node ServiceType(KubernetesWorkload workload);

    /// <summary>The Ingress's class, TLS and host entries (the rule's host and the TLS host are the same value).</summary>
    public abstract Value<string>? IngressClass();

    public abstract Value<IngressTls[]> IngressTls();

    public abstract Node IngressHost();

    /// <summary>The Ingress's cert-manager annotations (ingress-shim issues its TLS Secret); the Kustomize route's are apply's patch.</summary>
    public abstract Value<Mapping>? IngressAnnotations();

    /// <summary>The External Secrets Operator's store of the deployment inputs (<c>generate --secrets external</c>).</summary>
    public abstract SecretStoreRef SecretStore();

    public abstract Value<string> SecretRefreshInterval();

    /// <summary>The store's key holding <paramref name="input"/>: one remote key per deployment input.</summary>
    public abstract Value<string> RemoteKey(DeploymentInput input);

    /// <summary>A Secret value as an ExternalSecret's template text (its inputs already written as template references).</summary>
    public abstract Node SecretTemplate(ValueTemplate value);

    /// <summary>What exists only for the app's own database: as it is in the Kustomize base, conditional in the chart.</summary>
    public abstract Entry ForInClusterDatabase(Entry entry);

    public abstract Item<ExternalSecretData> ForInClusterDatabase(ExternalSecretData item);

    /// <summary>The container's <c>env</c> entries: its connection strings from the operator's Secret when the database is external.</summary>
    public abstract Value<EnvVar[]>? DatabaseConnectionEnv(KubernetesWorkload workload);

    /// <summary>The egress rule(s) to the database: to its pods (<paramref name="inCluster"/>), or to the external database's addresses.</summary>
    public abstract Item<NetworkPolicyEgressRule> DatabaseEgress(KubernetesWorkload database, NetworkPolicyEgressRule inCluster);

    /// <summary>The entry point's ingress rule: <paramref name="fromAnywhere"/>, or (the chart, with its Ingress) from the controller's namespaces.</summary>
    public abstract Item<NetworkPolicyIngressRule> EntryPointIngress(KubernetesWorkload workload, NetworkPolicyIngressRule fromAnywhere);

    /// <summary>The database's ingress rule for the scheduled backup, where the backup is part of this output (the chart's value).</summary>
    public abstract IEnumerable<Item<NetworkPolicyIngressRule>> BackupIngress(KubernetesWorkload database);

    /// <summary>A container argument: literal text and service names (a secret argument is a <c>$(VAR)</c> reference by now).</summary>
    public abstract Node Argument(KubernetesWorkload workload, ValueTemplate value);

    /// <summary>A ConfigMap value: a literal setting with service names (and, in the chart, tunable values).</summary>
    public abstract Node Setting(KubernetesWorkload workload, string key, ValueTemplate value);
}
