namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record Deployment(ObjectMeta Metadata, DeploymentSpec Spec) : KubernetesObject("apps/v1", "Deployment");

/// <summary>A Deployment's spec; <paramref name="Replicas"/> is absent where an autoscaler owns the count.</summary>
internal sealed record DeploymentSpec(Value<int>? Replicas, LabelSelector Selector, DeploymentStrategy Strategy, PodTemplateSpec Template);

internal sealed record DeploymentStrategy(string Type, RollingUpdateDeployment RollingUpdate);

internal sealed record RollingUpdateDeployment(int MaxUnavailable, int MaxSurge);

internal sealed record StatefulSet(ObjectMeta Metadata, StatefulSetSpec Spec) : KubernetesObject("apps/v1", "StatefulSet");

internal sealed record StatefulSetSpec(
    Value<int>? Replicas,
    Value<string> ServiceName,
    LabelSelector Selector,
    PodTemplateSpec Template,
    IReadOnlyList<PersistentVolumeClaimTemplate> VolumeClaimTemplates);

internal sealed record PersistentVolumeClaimTemplate(ObjectMeta Metadata, PersistentVolumeClaimSpec Spec);

internal sealed record Job(ObjectMeta Metadata, JobSpec Spec) : KubernetesObject("batch/v1", "Job");

internal sealed record JobSpec(int BackoffLimit, PodTemplateSpec Template);

internal sealed record CronJob(ObjectMeta Metadata, CronJobSpec Spec) : KubernetesObject("batch/v1", "CronJob");

internal sealed record CronJobSpec(
    Value<string> Schedule,
    string ConcurrencyPolicy,
    int SuccessfulJobsHistoryLimit,
    int FailedJobsHistoryLimit,
    JobTemplateSpec JobTemplate);

internal sealed record JobTemplateSpec(JobSpec Spec);

internal sealed record PersistentVolumeClaim(ObjectMeta Metadata, PersistentVolumeClaimSpec Spec) : KubernetesObject("v1", "PersistentVolumeClaim");

/// <summary>A claim's spec; no <paramref name="StorageClassName"/> is the cluster's default class.</summary>
internal sealed record PersistentVolumeClaimSpec(string[] AccessModes, Value<string>? StorageClassName, VolumeResourceRequirements Resources);

internal sealed record VolumeResourceRequirements(StorageRequest Requests);

internal sealed record StorageRequest(Value<string> Storage);
