namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>A container; <paramref name="Resources"/> is the workload's defaults or the chart's values (a map of quantities).</summary>
internal sealed record Container(
    string Name,
    Value<string> Image,
    Value<string> ImagePullPolicy,
    IReadOnlyList<string>? Command,
    IReadOnlyList<Value<string>>? Args,
    IReadOnlyList<ContainerPortSpec>? Ports,
    IReadOnlyList<EnvFromSource>? EnvFrom,
    Value<EnvVar[]>? Env,
    Probe? StartupProbe,
    Probe? LivenessProbe,
    Probe? ReadinessProbe,
    Node Resources,
    SecurityContext SecurityContext,
    Lifecycle? Lifecycle,
    IReadOnlyList<VolumeMount> VolumeMounts);

/// <summary>A port the container listens on (a record cannot be named like its <c>containerPort</c> field).</summary>
internal sealed record ContainerPortSpec(string Name, int ContainerPort, string Protocol);

internal sealed record EnvFromSource(NamedSource? ConfigMapRef = null, NamedSource? SecretRef = null);

internal sealed record NamedSource(Value<string> Name);

internal sealed record EnvVar(string Name, Value<string>? Value = null, EnvVarSource? ValueFrom = null);

internal sealed record EnvVarSource(SecretKeySelector SecretKeyRef);

internal sealed record SecretKeySelector(Value<string> Name, string Key);

/// <summary>A probe: exactly one of its actions, then its timing.</summary>
internal sealed record Probe(
    HttpGetAction? HttpGet,
    TcpSocketAction? TcpSocket,
    ExecAction? Exec,
    int PeriodSeconds,
    int TimeoutSeconds,
    int FailureThreshold);

internal sealed record HttpGetAction(string Path, string Port);

internal sealed record TcpSocketAction(string Port);

internal sealed record ExecAction(IReadOnlyList<string> Command);

internal sealed record SecurityContext(bool AllowPrivilegeEscalation, bool ReadOnlyRootFilesystem, Capabilities Capabilities);

internal sealed record Capabilities(string[] Drop);

internal sealed record Lifecycle(LifecycleHandler PreStop);

internal sealed record LifecycleHandler(SleepAction Sleep);

internal sealed record SleepAction(int Seconds);

internal sealed record VolumeMount(string Name, string MountPath);
