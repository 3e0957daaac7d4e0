using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>The sizes and bounds every deployment starts from: the Kustomize base's literals and the chart's defaults.</summary>
internal static class WorkloadDefaults
{
    public const string PullPolicy = "IfNotPresent";

    public const int MinReplicas = 1;

    public const int MaxReplicas = 5;

    public const int TargetCpuUtilization = 70;

    /// <summary>The database volume's size; overlays, <c>apply</c> and the chart's values change it.</summary>
    public const string VolumeSize = "1Gi";

    /// <summary>The node labels scaled workloads spread over: nodes, then zones.</summary>
    public static readonly string[] TopologyKeys = ["kubernetes.io/hostname", "topology.kubernetes.io/zone"];

    /// <summary>
    /// CPU and memory. Third-party images (Postgres; the dashboard, which keeps telemetry in memory) get 256Mi and a
    /// 512Mi limit. The backend holds 190-230 MB resident under load (bench/run.sh, docs/benchmarks.md) and the MCP
    /// server runs the same stack, so the .NET services request that much: a pod above its request is among the first
    /// evicted when a node runs short of memory. The Fastify frontend holds 74-104 MB with its telemetry SDK.
    /// </summary>
    public static Mapping Resources(KubernetesWorkload workload)
    {
        var (memoryRequest, memoryLimit) = !workload.Source.IsBuiltHere ? ("256Mi", "512Mi")
            : workload.Source.IsDotNetProject ? ("256Mi", "384Mi")
            : ("160Mi", "384Mi");
        return Map(("requests", Map(("cpu", Text("100m")), ("memory", Text(memoryRequest)))), ("limits", Map(("memory", Text(memoryLimit)))));
    }

    /// <summary>
    /// Replicas of a scaled workload prefer different nodes and zones (<c>ScheduleAnyway</c>: a preference, so a one-node
    /// Minikube still schedules them all), so losing one node or zone does not take every replica.
    /// </summary>
    public static Item<TopologySpreadConstraint>[] TopologySpread(Mapping selectorLabels) =>
        [.. TopologyKeys.Select(key => (Item<TopologySpreadConstraint>)new TopologySpreadConstraint(1, key, "ScheduleAnyway", new LabelSelector(selectorLabels)))];
}
