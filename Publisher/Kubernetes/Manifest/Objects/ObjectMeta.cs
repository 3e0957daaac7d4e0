namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>An object's name (release-scoped in the chart), labels and annotations.</summary>
internal sealed record ObjectMeta(Value<string> Name, Mapping Labels, Mapping? Annotations = null);

/// <summary>Pods selected by their labels (a label map: its keys are data, not fields).</summary>
internal sealed record LabelSelector(Mapping MatchLabels);
