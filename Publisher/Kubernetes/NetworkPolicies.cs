using Phase4.Publisher.Kubernetes.Manifest;
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

    public static Mapping DefaultDeny(ObjectValues values) => Policy("default-deny", values.AppLabels(SharedPolicies), values, Map(
        ("podSelector", Map(("matchLabels", values.AppSelectorLabels()))),
        ("policyTypes", Texts(["Ingress", "Egress"]))));

    public static Mapping AllowDns(ObjectValues values) => Policy("allow-dns", values.AppLabels(SharedPolicies), values, Map(
        ("podSelector", Map(("matchLabels", values.AppSelectorLabels()))),
        ("policyTypes", Texts(["Egress"])),
        ("egress", List(Map(
            ("to", List(Map(
                ("namespaceSelector", Map(("matchLabels", Labels([KeyValuePair.Create("kubernetes.io/metadata.name", "kube-system")])))),
                ("podSelector", Map(("matchLabels", Labels([KeyValuePair.Create("k8s-app", "kube-dns")]))))))),
            ("ports", List(
                Map(("protocol", Text("UDP")), ("port", Number(53))),
                Map(("protocol", Text("TCP")), ("port", Number(53))))))))));

    public static Mapping For(KubernetesWorkload workload, KubernetesApp app, ObjectValues values)
    {
        var ingress = new List<Node>();
        if (workload.OpenPorts.Count > 0)
        {
            // From anywhere: NodePort traffic (the dashboard's UI asks for its token); the entry point behind an
            // Ingress from the controller's namespace only (the production overlay's patch, the chart's value).
            Node fromAnywhere = Map(("ports", Ports(workload.OpenPorts)));
            ingress.AddRange(workload.IsEntryPoint ? values.EntryPointIngress(workload, fromAnywhere) : [fromAnywhere]);
        }

        if (!workload.IsEntryPoint && workload.Dependents.Count > 0)
        {
            ingress.Add(Map(
                ("from", List(workload.Dependents.Select(name => (Node)Peer(name, values)))),
                ("ports", Ports(workload.PeerPorts))));
        }

        if (workload.Name == workload.Database.Name)
        {
            ingress.AddRange(values.BackupIngress(workload));
        }

        var egress = workload.Source.DependsOn.Select(name => app.Workload(name))
            .SelectMany(target =>
            {
                Node rule = Map(("to", List(Peer(target.Name, values))), ("ports", Ports(target.PeerPorts)));
                return target.Name == workload.Database.Name ? values.DatabaseEgress(target, rule) : [rule];
            })
            .ToList();
        if (UsesExternalModel(workload))
        {
            // The openai provider calls its model endpoint outside the cluster, known by name only: any address, that port.
            egress.Add(Map(("ports", List(Map(("protocol", Text("TCP")), ("port", Number(app.Options.ModelEgressPort)))))));
        }

        return Policy(workload.Name, values.Labels(workload), values, Map(
            ("podSelector", Map(("matchLabels", values.SelectorLabels(workload.Name)))),
            ("policyTypes", Texts(["Ingress", "Egress"])),
            ("ingress", List(ingress)),
            ("egress", List(egress))));
    }

    /// <summary>The entry point's ports, from pods in <paramref name="namespaces"/> (a list of names) only.</summary>
    public static Mapping FromIngressControllers(KubernetesWorkload workload, Node namespaces) => Map(
        ("from", List(Map(("namespaceSelector", Map(("matchExpressions", List(Map(
            ("key", Text("kubernetes.io/metadata.name")),
            ("operator", Text("In")),
            ("values", namespaces))))))))),
        ("ports", Ports(workload.OpenPorts)));

    public static bool UsesExternalModel(KubernetesWorkload workload) =>
        workload.Source.Environment.Any(variable => variable.Name == "AI__Provider" && variable.Value.Render(_ => "") == KubernetesOptions.OpenAIProvider);

    private static Sequence Ports(IEnumerable<Model.WorkloadPort> ports) =>
        List(ports.Select(port => (Node)Map(("protocol", Text("TCP")), ("port", Number(port.ContainerPort)))));

    private static Mapping Peer(string workload, ObjectValues values) =>
        Map(("podSelector", Map(("matchLabels", values.SelectorLabels(workload)))));

    private static Mapping Policy(string name, Mapping labels, ObjectValues values, Mapping spec) => Map(
        ("apiVersion", Text("networking.k8s.io/v1")),
        ("kind", Text("NetworkPolicy")),
        ("metadata", Map(("name", values.Name(name)), ("labels", labels))),
        ("spec", spec));
}
