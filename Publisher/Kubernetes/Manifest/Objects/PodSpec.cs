namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record PodTemplateSpec(ObjectMeta Metadata, PodSpec Spec);

internal sealed record PodSpec(
    bool AutomountServiceAccountToken,
    bool EnableServiceLinks,
    string? RestartPolicy,
    int? TerminationGracePeriodSeconds,
    Value<LocalObjectReference[]>? ImagePullSecrets,
    PodSecurityContext SecurityContext,
    Value<Item<TopologySpreadConstraint>[]>? TopologySpreadConstraints,
    IReadOnlyList<Container> Containers,
    IReadOnlyList<Volume> Volumes);

internal sealed record LocalObjectReference(string Name);

internal sealed record PodSecurityContext(
    bool RunAsNonRoot,
    int RunAsUser,
    int RunAsGroup,
    int FsGroup,
    string FsGroupChangePolicy,
    SeccompProfile SeccompProfile);

internal sealed record SeccompProfile(string Type);

internal sealed record TopologySpreadConstraint(Value<int> MaxSkew, Value<string> TopologyKey, Value<string> WhenUnsatisfiable, LabelSelector LabelSelector);

internal sealed record Volume(string Name, EmptyDirVolumeSource? EmptyDir = null, PersistentVolumeClaimVolumeSource? PersistentVolumeClaim = null);

/// <summary>A scratch folder; no <paramref name="Medium"/> is the node's disk.</summary>
internal sealed record EmptyDirVolumeSource(string? Medium = null);

internal sealed record PersistentVolumeClaimVolumeSource(Value<string> ClaimName);
