namespace Phase4.Publisher.Model;

/// <summary>
/// What a workload is to the app, as the AppHost says it (<c>"x-phase4-kind"</c> in the manifest,
/// <c>PublishAs(ResourceKind.…)</c> in AppHost/Deployment/PublisherKinds.cs): the publisher places a workload by its kind,
/// never by whether it has a port or a volume.
/// </summary>
internal enum WorkloadKind
{
    /// <summary>Serves requests on its endpoints: a Deployment (StatefulSet with volumes) and a Service.</summary>
    Service,

    /// <summary>Runs as long as the app and serves nothing: a Deployment without a Service.</summary>
    Worker,

    /// <summary>Runs to completion: a Job, run before the services that share its data store.</summary>
    Job,

    /// <summary>The app's database (one at most): its roles, backups and <c>--database external</c>.</summary>
    Database,

    /// <summary>A data store that is not the database (Redis).</summary>
    Cache,

    /// <summary>The publisher's own Aspire dashboard (<c>generate --include-dashboard</c>); never in the manifest.</summary>
    Observability,
}

internal static class WorkloadKinds
{
    /// <summary>The manifest property that names a resource's kind.</summary>
    public const string ManifestProperty = "x-phase4-kind";

    /// <summary>The words the manifest may use, and the kinds they name.</summary>
    public static readonly IReadOnlyDictionary<string, WorkloadKind> ByManifestName = new Dictionary<string, WorkloadKind>(StringComparer.Ordinal)
    {
        ["service"] = WorkloadKind.Service,
        ["worker"] = WorkloadKind.Worker,
        ["job"] = WorkloadKind.Job,
        ["database"] = WorkloadKind.Database,
        ["cache"] = WorkloadKind.Cache,
    };

    /// <summary>The <c>app.kubernetes.io/component</c> label of a workload of this kind.</summary>
    public static string Component(this WorkloadKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>A data store: a task run to completion before the services that use the same one (the migrator).</summary>
    public static bool IsDataStore(this WorkloadKind kind) => kind is WorkloadKind.Database or WorkloadKind.Cache;

    /// <summary>The app's database, when the AppHost has one; two are refused (the publisher deploys one).</summary>
    public static string? DatabaseOf(IEnumerable<Workload> workloads) =>
        workloads.Where(workload => workload.Kind == WorkloadKind.Database).Select(workload => workload.Name).ToList() switch
        {
            [] => null,
            [var database] => database,
            var databases => throw new NotSupportedException(
                $"{string.Join(", ", databases)} are all published as databases; the publisher deploys one (publish the others as caches or services)."),
        };
}
