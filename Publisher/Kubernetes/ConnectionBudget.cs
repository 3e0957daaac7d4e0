using System.Globalization;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// How many connections each pod's pool may open so that every pod together never asks PostgreSQL for more than it
/// accepts. Unbounded, each process may open Npgsql's default of 100: at the autoscalers' maximum (5 backend and 5 MCP
/// replicas, plus a rollout's surge pod each) that is 1,200 against the server's 100, and under load PostgreSQL refuses
/// connections ("sorry, too many clients already", 53300) instead of the services queueing for their own pool and
/// shedding what does not fit with 503 and Retry-After (bench/saturation.sh shows both). So the publisher sets
/// PostgreSQL's <c>max_connections</c> explicitly and gives each service that connects
/// <c>Database__MaxPoolSize</c> = (max_connections − reserved) ÷ (every pod that may run at once), rounded down:
/// <see cref="Reserved"/> is kept for connections no pool counts (PostgreSQL's superuser-reserved slots, the migrator,
/// a backup, an operator's <c>psql</c>). When that leaves fewer than <see cref="MinimumPool"/> per pod, generation
/// refuses and names the numbers to change. The chart computes the same from its values (<see cref="ChartHelper"/>).
/// </summary>
internal sealed record ConnectionBudget(int MaxConnections, int Reserved, IReadOnlyList<(string Service, int Pods)> Services)
{
    /// <summary>The setting each service reads (Domain's <c>DatabaseSetup.MaxPoolSizeKey</c>).</summary>
    public const string PoolSizeKey = "Database__MaxPoolSize";

    /// <summary>PostgreSQL's argument that sets it on the in-cluster server.</summary>
    public const string MaxConnectionsArgument = "max_connections=";

    /// <summary>PostgreSQL's image default, now stated: it fits the in-cluster server's memory (512Mi) with room.</summary>
    public const int DefaultMaxConnections = 100;

    /// <summary>PostgreSQL's <c>superuser_reserved_connections</c> (3), the migrator (2: its lock session and its context), a backup (1), an operator's psql (2).</summary>
    public const int DefaultReserved = 3 + 2 + 1 + 2;

    /// <summary>A pod's readiness check and one request at a time need two; fewer cannot serve.</summary>
    public const int MinimumPool = 2;

    /// <summary>A rollout's surge pod (maxSurge 1) runs beside a service's most replicas.</summary>
    public const int SurgePods = 1;

    /// <summary>The budget of the workloads <see cref="ClusterSettings"/> has settled: the scaled services that connect to the database.</summary>
    public static ConnectionBudget Of(IEnumerable<Workload> workloads, string? database, KubernetesOptions options) => new(
        options.DatabaseMaxConnections,
        options.DatabaseReservedConnections,
        [.. workloads.Where(workload => Pools(workload, database)).Select(workload => (workload.Name, WorkloadDefaults.MaxReplicas + SurgePods))]);

    /// <summary>A service with replicas that connects to the database: a pool to size (the migrator is in the reserve).</summary>
    public static bool Pools(Workload workload, string? database) =>
        workload.IsBuiltHere && !workload.RunsToCompletion && workload.Volumes.Count == 0
        && workload.Environment.Any(variable => DatabaseLink.IsConnection(variable, database));

    public int Pods => Services.Sum(service => service.Pods);

    public int PoolSize => (MaxConnections - Reserved) / Math.Max(1, Pods);

    /// <summary>This budget when every pod gets at least <see cref="MinimumPool"/>; else a refusal that says what does not fit and which numbers change it.</summary>
    public ConnectionBudget EnsureFits()
    {
        if (Services.Count == 0 || PoolSize >= MinimumPool)
        {
            return this;
        }

        var pods = string.Join(" + ", Services.Select(service => $"{service.Service} {service.Pods - SurgePods}+{SurgePods}"));
        var needed = Reserved + (MinimumPool * Pods);
        throw new ArgumentException(
            $"The database connection budget does not fit: {pods} = {Pods} pods at the autoscalers' maximum (with a rollout's surge pod each) " +
            $"need at least {MinimumPool} connections each, {MinimumPool * Pods} in all, but max_connections {MaxConnections} less {Reserved} reserved " +
            $"leaves {MaxConnections - Reserved}. Raise --database-max-connections to at least {needed}, lower --database-reserved-connections, " +
            "lower the autoscalers' maxReplicas, or put a pooler in front of the database (PgBouncer, CloudNativePG's Pooler; docs/database.md).");
    }

    public string PoolSizeText => PoolSize.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The chart's <c>phase4.maxPoolSize</c>: the same formula over its values (each pooled service's
    /// <c>autoscaling.maxReplicas</c>, or <c>replicas</c> without autoscaling, plus the surge pod; <c>database.maxConnections</c>
    /// and <c>database.reservedConnections</c>), failing the render with the same advice when it does not fit.
    /// </summary>
    public string ChartHelper(string chartName)
    {
        var services = string.Join(' ', Services.Select(service => $"\"{service.Service}\""));
        return $$$"""
            {{/* Generated from the AppHost model by the Phase4 publisher; do not edit. */}}

            {{/*
            Each pooled service's Database__MaxPoolSize: (database.maxConnections - database.reservedConnections) divided by
            every pod that may connect at once (each service's most replicas plus a rollout's surge pod), rounded down; the
            render fails when that leaves fewer than {{{MinimumPool}}} per pod (docs/database.md, the connection budget).
            */}}
            {{- define "{{{chartName}}}.maxPoolSize" -}}
            {{- $pods := 0 -}}
            {{- range $name := list {{{services}}} -}}
            {{- $service := index $.Values $name -}}
            {{- $replicas := $service.replicas -}}
            {{- if $service.autoscaling.enabled }}{{ $replicas = $service.autoscaling.maxReplicas }}{{ end -}}
            {{- $pods = add $pods $replicas {{{SurgePods}}} -}}
            {{- end -}}
            {{- $available := sub $.Values.database.maxConnections $.Values.database.reservedConnections -}}
            {{- $pool := div $available $pods -}}
            {{- if lt $pool {{{MinimumPool}}} -}}
            {{- fail (printf "The database connection budget does not fit: %d pods at most (each service's maxReplicas, or replicas, plus a surge pod) need at least {{{MinimumPool}}} connections each, but database.maxConnections %v less database.reservedConnections %v leaves %d. Raise database.maxConnections to at least %d, lower database.reservedConnections or the services' maxReplicas, or put a pooler in front of the database (docs/database.md)." $pods $.Values.database.maxConnections $.Values.database.reservedConnections $available (add $.Values.database.reservedConnections (mul $pods {{{MinimumPool}}}))) -}}
            {{- end -}}
            {{- $pool -}}
            {{- end }}

            """;
    }
}
