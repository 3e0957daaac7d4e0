namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record Service(ObjectMeta Metadata, ServiceSpec Spec) : KubernetesObject("v1", "Service");

/// <summary>A Service's spec; a headless one sets <paramref name="ClusterIP"/> <c>None</c>.</summary>
internal sealed record ServiceSpec(
    Value<string> Type,
    string? ClusterIP,
    bool? PublishNotReadyAddresses,
    Mapping Selector,
    IReadOnlyList<ServicePort> Ports);

internal sealed record ServicePort(string Name, int Port, string TargetPort, string Protocol);
