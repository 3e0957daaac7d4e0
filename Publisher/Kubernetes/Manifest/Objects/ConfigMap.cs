namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>A ConfigMap: its data's keys are the settings' names, so the data is a map, not fields.</summary>
internal sealed record ConfigMap(ObjectMeta Metadata, Mapping Data) : KubernetesObject("v1", "ConfigMap");
