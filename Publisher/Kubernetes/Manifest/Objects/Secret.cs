namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>A Secret: its data's keys are the settings' names, so the data is a map (in the chart, of expressions).</summary>
internal sealed record Secret(ObjectMeta Metadata, string Type, Mapping Data) : KubernetesObject("v1", "Secret");

internal sealed record Namespace(ObjectMeta Metadata) : KubernetesObject("v1", "Namespace");
