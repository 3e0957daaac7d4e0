namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record PodDisruptionBudget(ObjectMeta Metadata, PodDisruptionBudgetSpec Spec) : KubernetesObject("policy/v1", "PodDisruptionBudget");

internal sealed record PodDisruptionBudgetSpec(int MaxUnavailable, LabelSelector Selector);
