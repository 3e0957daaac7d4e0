namespace Phase4.Publisher.Model;

/// <summary>
/// The AppHost model reduced to what every deployment target needs (Compose now; Kustomize and Helm writers read
/// the same model). Target-neutral: a workload reaches another through its resource name and container port, which
/// is a Compose service name and a Kubernetes Service name alike.
/// </summary>
internal sealed record DeploymentModel(IReadOnlyList<Workload> Workloads, IReadOnlyList<DeploymentInput> Inputs)
{
    /// <summary>
    /// The tasks <paramref name="workload"/> starts after: a service built here waits for every task run to completion
    /// that uses a data store (the database, a cache) it uses too — the migrator before the services.
    /// </summary>
    public IEnumerable<Workload> TasksBefore(Workload workload) => workload.RunsToCompletion || !workload.IsBuiltHere
        ? []
        : Workloads.Where(task => task.RunsToCompletion
            && task.DependsOn.Intersect(workload.DependsOn, StringComparer.Ordinal).Any(name => Workloads.Any(w => w.Name == name && w.Kind.IsDataStore())));
}

/// <summary>A container to run: either one of our images built from a Dockerfile, or a published image.</summary>
internal sealed record Workload(
    string Name,
    WorkloadKind Kind,
    WorkloadImage Image,
    IReadOnlyList<WorkloadPort> Ports,
    IReadOnlyList<EnvironmentVariable> Environment,
    IReadOnlyList<WorkloadVolume> Volumes,
    IReadOnlyList<string> DependsOn,
    HealthProbes? Probes)
{
    public bool IsBuiltHere => Image is BuiltImage;

    /// <summary>A .NET project of the AppHost: it uses ServiceDefaults (logging, OpenTelemetry, health endpoints).</summary>
    public bool IsDotNetProject { get; init; }

    /// <summary>Arguments after the image's entry point (the AppHost's <c>WithArgs</c>), values like the settings'.</summary>
    public IReadOnlyList<ValueTemplate> Args { get; init; } = [];

    /// <summary>The image's entry point replaced (a container's <c>WithEntrypoint</c>); null keeps the image's.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>
    /// A task run to completion (a migration), not a service: the workloads that share a data store with it start once
    /// it has succeeded.
    /// </summary>
    public bool RunsToCompletion => Kind == WorkloadKind.Job;
}

internal abstract record WorkloadImage;

/// <summary>Built by this repository: context and Dockerfile relative to the repository root.</summary>
internal sealed record BuiltImage(string Repository, string Context, string Dockerfile) : WorkloadImage;

/// <summary>A third-party image used as published (e.g. postgres).</summary>
internal sealed record PublishedImage(string Reference) : WorkloadImage;

/// <summary>A port the container listens on; <see cref="External"/> ports are reachable from outside the app.</summary>
internal sealed record WorkloadPort(string Name, string Scheme, int ContainerPort, bool External);

internal sealed record WorkloadVolume(string Name, string Target, bool ReadOnly);

internal sealed record EnvironmentVariable(string Name, ValueTemplate Value);

/// <summary>How the platform tells whether a workload is alive and ready.</summary>
internal abstract record HealthProbes;

/// <summary>
/// HTTP probes on the given port, from the AppHost's probes (ServiceDefaults' <c>/alive</c>, <c>/health</c> and
/// <c>/started</c>; the liveness path for the start-up when the AppHost gives none).
/// </summary>
internal sealed record HttpHealthProbes(int Port, string LivenessPath, string ReadinessPath, string StartupPath) : HealthProbes;

/// <summary>A TCP connection to the named port: for third-party images without health endpoints.</summary>
internal sealed record TcpHealthProbe(string PortName) : HealthProbes;

/// <summary>A command run inside the container, e.g. <c>pg_isready</c>.</summary>
internal sealed record CommandHealthProbe(IReadOnlyList<string> Command) : HealthProbes;

/// <summary>
/// A value supplied at deployment time (an AppHost parameter): in Compose a variable from <c>.env</c>, in Kubernetes
/// a key of a Secret. <see cref="VariableName"/> is the parameter name in upper case with underscores.
/// </summary>
internal sealed record DeploymentInput(string ParameterName, bool Secret, InputGenerator Generator)
{
    public string VariableName => ParameterName.ToUpperInvariant().Replace('-', '_');
}
