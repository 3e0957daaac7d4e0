using System.Globalization;

namespace Phase4.Publisher.Model;

/// <summary>
/// What the publisher must know of a third-party image that the Aspire manifest does not say: the numeric user it runs
/// as (the restricted Pod Security profile needs one the kubelet can check) and how to tell it is ready (the AppHost
/// says what it is to the app: <see cref="WorkloadKind"/>). An image outside this table cannot be deployed: the publisher says so and names the table.
/// </summary>
internal sealed record KnownImage(string Repository, int UserId, Func<KnownImageSettings, HealthProbes> Probe)
{
    public static readonly IReadOnlyList<KnownImage> All =
    [
        // Debian's postgres user in the official image. pg_isready over TCP to loopback: during initdb the entrypoint
        // runs a temporary server on the socket only, which must not count as ready (as the Bitnami chart probes).
        new("docker.io/library/postgres", 999, settings => new CommandHealthProbe(
        [
            "pg_isready", "-h", "127.0.0.1", "-p", settings.FirstPort.ToString(CultureInfo.InvariantCulture),
            "-U", settings.Literal("POSTGRES_USER") ?? "postgres", "-d", settings.Database ?? settings.Literal("POSTGRES_USER") ?? "postgres",
        ])),
        // The official image's redis user. A TCP connection: a PING would need the password the probe cannot hold.
        new("docker.io/library/redis", 999, settings => new TcpHealthProbe(settings.FirstPortName)),
        // Built on Microsoft's .NET runtime images, whose non-root user is "app".
        new("mcr.microsoft.com/dotnet/aspire-dashboard", 1654, settings => new TcpHealthProbe(settings.FirstPortName)),
    ];

    /// <summary>The entry for <paramref name="reference"/> (any tag), or null.</summary>
    public static KnownImage? Find(string reference)
    {
        var (registry, repository, _) = ImageReference.Parse(reference);
        return All.FirstOrDefault(known => known.Repository == $"{registry}/{repository}");
    }

    /// <summary>The entry for <paramref name="reference"/>, or a failure that says what to add.</summary>
    public static KnownImage Require(string workload, string reference) => Find(reference)
        ?? throw new NotSupportedException(
            $"{workload}: the publisher knows nothing of the image {reference} (its non-root user, its readiness check). " +
            "Add it to Publisher/Model/KnownImages.cs.");
}

/// <summary>What a probe of a known image may need from the workload: its ports, literal settings, the database it creates.</summary>
internal sealed record KnownImageSettings(IReadOnlyList<WorkloadPort> Ports, IReadOnlyList<EnvironmentVariable> Environment, string? Database)
{
    public int FirstPort => FirstPortOrFail.ContainerPort;

    public string FirstPortName => FirstPortOrFail.Name;

    private WorkloadPort FirstPortOrFail => Ports.Count > 0 ? Ports[0] : throw new InvalidOperationException("The image has no port to check.");

    public string? Literal(string name) =>
        Environment.FirstOrDefault(variable => variable.Name == name)?.Value is { IsSecret: false } value && !value.Inputs.Any() ? value.Render(_ => "") : null;
}
