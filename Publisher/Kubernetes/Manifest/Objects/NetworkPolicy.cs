namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record NetworkPolicy(ObjectMeta Metadata, NetworkPolicySpec Spec) : KubernetesObject("networking.k8s.io/v1", "NetworkPolicy");

internal sealed record NetworkPolicySpec(
    LabelSelector PodSelector,
    string[] PolicyTypes,
    IReadOnlyList<Item<NetworkPolicyIngressRule>>? Ingress = null,
    IReadOnlyList<Item<NetworkPolicyEgressRule>>? Egress = null);

/// <summary>Traffic from <paramref name="From"/> (anywhere when null) to <paramref name="Ports"/>.</summary>
internal sealed record NetworkPolicyIngressRule(IReadOnlyList<NetworkPolicyPeer>? From, IReadOnlyList<NetworkPolicyPort> Ports);

/// <summary>Traffic to <paramref name="To"/> (anywhere when null) on <paramref name="Ports"/>.</summary>
internal sealed record NetworkPolicyEgressRule(IReadOnlyList<NetworkPolicyPeer>? To, IReadOnlyList<NetworkPolicyPort> Ports);

internal sealed record NetworkPolicyPeer(LabelSelector? NamespaceSelector = null, LabelSelector? PodSelector = null, IpBlock? IpBlock = null);

internal sealed record IpBlock(Value<string> Cidr);

internal sealed record NetworkPolicyPort(string Protocol, Value<int> Port);
