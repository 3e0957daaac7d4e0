namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record HorizontalPodAutoscaler(ObjectMeta Metadata, HorizontalPodAutoscalerSpec Spec)
    : KubernetesObject("autoscaling/v2", "HorizontalPodAutoscaler");

internal sealed record HorizontalPodAutoscalerSpec(
    CrossVersionObjectReference ScaleTargetRef,
    Value<int> MinReplicas,
    Value<int> MaxReplicas,
    IReadOnlyList<MetricSpec> Metrics);

internal sealed record CrossVersionObjectReference(string ApiVersion, string Kind, Value<string> Name);

internal sealed record MetricSpec(string Type, ResourceMetricSource Resource);

internal sealed record ResourceMetricSource(string Name, MetricTarget Target);

internal sealed record MetricTarget(string Type, Value<int> AverageUtilization);
