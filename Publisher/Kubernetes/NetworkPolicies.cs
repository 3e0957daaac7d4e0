using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// Default deny in both directions for the app's pods, DNS for each of them, then exactly the paths the AppHost model
/// has: a workload takes traffic from the workloads that reference it (the entry point from anywhere) and sends to the
/// ones it references. The shared policies select the app's pods only, so other apps in the namespace are untouched.
/// </summary>
internal static class NetworkPolicies
{
    private const string SharedPolicies = "network-policies";

    public static Mapping DefaultDeny(ObjectValues values) => ObjectWriter.ToNode(new NetworkPolicy(
        new ObjectMeta(values.Name("default-deny"), values.AppLabels(SharedPolicies)),
        new NetworkPolicySpec(new LabelSelector(values.AppSelectorLabels()), ["Ingress", "Egress"])));

    public static Mapping AllowDns(ObjectValues values) => ObjectWriter.ToNode(new NetworkPolicy(
        new ObjectMeta(values.Name("allow-dns"), values.AppLabels(SharedPolicies)),
        new NetworkPolicySpec(new LabelSelector(values.AppSelectorLabels()), ["Egress"], Egress:
        [
            new NetworkPolicyEgressRule(
                [new NetworkPolicyPeer(
                    NamespaceSelector: new LabelSelector(Labels([KeyValuePair.Create("kubernetes.io/metadata.name", "kube-system")])),
                    PodSelector: new LabelSelector(Labels([KeyValuePair.Create("k8s-app", "kube-dns")])))],
                [new NetworkPolicyPort("UDP", 53), new NetworkPolicyPort("TCP", 53)]),
        ])));

    public static Mapping For(KubernetesWorkload workload, KubernetesApp app, ObjectValues values)
    {
        var ingress = new List<Item<NetworkPolicyIngressRule>>();
        if (workload.OpenPorts.Count > 0)
        {
            // From anywhere: NodePort traffic (the dashboard's UI asks for its token); the entry point behind an
            // Ingress from the controller's namespace only (the production overlay's patch, the chart's value).
            var fromAnywhere = new NetworkPolicyIngressRule(null, Ports(workload.OpenPorts));
            ingress.Add(workload.IsEntryPoint ? values.EntryPointIngress(workload, fromAnywhere) : fromAnywhere);
        }

        if (!workload.IsEntryPoint && workload.Dependents.Count > 0)
        {
            ingress.Add(new NetworkPolicyIngressRule([.. workload.Dependents.Select(name => Peer(name, values))], Ports(workload.PeerPorts)));
        }

        if (workload.Name == workload.Database.Name)
        {
            ingress.AddRange(values.BackupIngress(workload));
        }

        var egress = workload.Source.DependsOn.Select(name => app.Workload(name))
            .Select(target =>
            {
                var rule = new NetworkPolicyEgressRule([Peer(target.Name, values)], Ports(target.PeerPorts));
                return target.Name == workload.Database.Name ? values.DatabaseEgress(target, rule) : rule;
            })
            .ToList();
        if (UsesExternalModel(workload))
        {
            // The openai provider calls its model endpoint outside the cluster, known by name only: any address, that port.
            egress.Add(new NetworkPolicyEgressRule(null, [new NetworkPolicyPort("TCP", app.Options.ModelEgressPort)]));
        }

        return ObjectWriter.ToNode(new NetworkPolicy(
            new ObjectMeta(values.Name(workload.Name), values.Labels(workload)),
            new NetworkPolicySpec(new LabelSelector(values.SelectorLabels(workload.Name)), ["Ingress", "Egress"], ingress, egress)));
    }

    /// <summary>The entry point's ports, from pods in the namespaces <paramref name="namespaces"/> only (the Ingress controller's, the Gateway's).</summary>
    public static NetworkPolicyIngressRule FromNamespaces(KubernetesWorkload workload, Value<string[]> namespaces) => new(
        [new NetworkPolicyPeer(NamespaceSelector: new LabelSelector(MatchExpressions: [new LabelSelectorRequirement("kubernetes.io/metadata.name", "In", namespaces)]))],
        Ports(workload.OpenPorts));

    public static bool UsesExternalModel(KubernetesWorkload workload) =>
        workload.Source.Environment.Any(variable => variable.Name == "AI__Provider" && variable.Value.Render(_ => "") == KubernetesOptions.OpenAIProvider);

    private static NetworkPolicyPort[] Ports(IEnumerable<Model.WorkloadPort> ports) => [.. ports.Select(port => new NetworkPolicyPort("TCP", port.ContainerPort))];

    public static NetworkPolicyPeer Peer(string workload, ObjectValues values) => new(PodSelector: new LabelSelector(values.SelectorLabels(workload)));
}
