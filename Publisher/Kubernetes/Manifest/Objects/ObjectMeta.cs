namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>An object's name (release-scoped in the chart), labels and annotations.</summary>
/// <remarks>Annotations may be a chart's conditional value (an Ingress's cert-manager issuer).</remarks>
internal sealed record ObjectMeta(Value<string>? Name, Mapping? Labels, Value<Mapping>? Annotations = null);

/// <summary>Objects selected by their labels (a label map: its keys are data, not fields) or by expressions over them.</summary>
internal sealed record LabelSelector(Mapping? MatchLabels = null, IReadOnlyList<LabelSelectorRequirement>? MatchExpressions = null);

internal sealed record LabelSelectorRequirement(string Key, string Operator, Value<string[]> Values);
