namespace Phase4.Publisher.Manifest;

/// <summary>One resource of Aspire's JSON manifest, as far as the publisher reads it.</summary>
internal sealed record ManifestResource(
    string Name,
    string Type,
    string? Image,
    ManifestBuild? Build,
    string? ProjectPath,
    string? WorkingDirectory,
    string? ConnectionString,
    string? Value,
    string? Filter,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, ManifestBinding> Bindings,
    IReadOnlyList<ManifestVolume> Volumes,
    ManifestInput? Input)
{
    /// <summary>Arguments after the image's entry point (projects, containers), or a process's (executables).</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>A container's entry point in place of its image's, when the AppHost sets one.</summary>
    public string? Entrypoint { get; init; }

    /// <summary>What the AppHost says the resource is (<c>"x-phase4-kind"</c>): service, worker, job, database, cache.</summary>
    public string? Kind { get; init; }

    /// <summary>The AppHost's HTTP probes (<c>"x-phase4-probes"</c>): Aspire 13.6's own manifest leaves them out.</summary>
    public IReadOnlyList<ManifestProbe> Probes { get; init; } = [];
}

/// <summary>One of Aspire's probes: liveness, readiness or startup, an HTTP GET of a path on an endpoint.</summary>
internal sealed record ManifestProbe(string Type, string Endpoint, string Path);

/// <summary>A Dockerfile build (<c>container.v1</c>), paths absolute.</summary>
internal sealed record ManifestBuild(string Context, string Dockerfile);

internal sealed record ManifestBinding(string Scheme, int? TargetPort, int? Port, bool External);

internal sealed record ManifestVolume(string Name, string Target, bool ReadOnly);

/// <summary>
/// The <c>inputs.value</c> of a <c>parameter.v0</c>: secret or not, and how a value may be generated: Aspire's
/// <c>generate</c> (a password of a minimum length) or the AppHost's own <c>x-phase4-generate</c> (a kind, and the
/// parameter it derives from).
/// </summary>
internal sealed record ManifestInput(
    bool Secret,
    string? DefaultValue,
    int? GenerateMinLength,
    string? GeneratedKind = null,
    string? GeneratedFrom = null);
