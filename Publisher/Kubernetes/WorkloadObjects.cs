using Phase4.Publisher.Model;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>A workload's Deployment or StatefulSet, its Service, autoscaler and disruption budget.</summary>
internal static class WorkloadObjects
{
    /// <summary>The database volume's size in the base; overlays and the chart's values change it.</summary>
    public const string DefaultVolumeSize = "1Gi";

    public static YamlMappingNode Workload(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("apps/v1")),
        ("kind", Text(workload.Kind)),
        ("metadata", Metadata(workload, workload.Name)),
        ("spec", Map(
            // Scaled workloads have no replicas here: their HorizontalPodAutoscaler owns the count.
            ("replicas", workload.Scales ? null : Number(1)),
            ("serviceName", workload.IsStateful ? Text(workload.Name) : null),
            ("selector", Map(("matchLabels", Labels(workload.SelectorLabels)))),
            ("strategy", workload.IsStateful ? null : Map(
                ("type", Text("RollingUpdate")),
                ("rollingUpdate", Map(("maxUnavailable", Number(0)), ("maxSurge", Number(1)))))),
            ("template", Map(
                ("metadata", Map(("labels", Labels(workload.Labels)))),
                ("spec", PodSpec(workload)))),
            ("volumeClaimTemplates", workload.IsStateful ? List(workload.Source.Volumes.Select(VolumeClaim)) : null))));

    public static YamlMappingNode Service(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("v1")),
        ("kind", Text("Service")),
        ("metadata", Metadata(workload, workload.Name)),
        ("spec", Map(
            ("type", Text("ClusterIP")),
            ("selector", Labels(workload.SelectorLabels)),
            ("ports", List(workload.Source.Ports.Select(port => (YamlNode)Map(
                ("name", Text(port.Name)),
                ("port", Number(port.ContainerPort)),
                ("targetPort", Text(port.Name)),
                ("protocol", Text("TCP")))))))));

    public static YamlMappingNode Autoscaler(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("autoscaling/v2")),
        ("kind", Text("HorizontalPodAutoscaler")),
        ("metadata", Metadata(workload, workload.Name)),
        ("spec", Map(
            ("scaleTargetRef", Map(("apiVersion", Text("apps/v1")), ("kind", Text(workload.Kind)), ("name", Text(workload.Name)))),
            ("minReplicas", Number(1)),
            ("maxReplicas", Number(5)),
            ("metrics", List(Map(
                ("type", Text("Resource")),
                ("resource", Map(
                    ("name", Text("cpu")),
                    ("target", Map(("type", Text("Utilization")), ("averageUtilization", Number(70))))))))))));

    /// <summary>One pod may be evicted at a time: a node drain proceeds even at one replica, never below it.</summary>
    public static YamlMappingNode DisruptionBudget(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("policy/v1")),
        ("kind", Text("PodDisruptionBudget")),
        ("metadata", Metadata(workload, workload.Name)),
        ("spec", Map(
            ("maxUnavailable", Number(1)),
            ("selector", Map(("matchLabels", Labels(workload.SelectorLabels)))))));

    public static YamlMappingNode Metadata(KubernetesWorkload workload, string name) =>
        Map(("name", Text(name)), ("labels", Labels(workload.Labels)));

    private static YamlMappingNode PodSpec(KubernetesWorkload workload) => Map(
        ("automountServiceAccountToken", Flag(false)),
        ("enableServiceLinks", Flag(false)),
        ("terminationGracePeriodSeconds", Number(KubernetesApp.TerminationGracePeriodSeconds)),
        ("securityContext", Map(
            ("runAsNonRoot", Flag(true)),
            ("runAsUser", Number(workload.UserId)),
            ("runAsGroup", Number(workload.UserId)),
            ("fsGroup", Number(workload.UserId)),
            ("seccompProfile", Map(("type", Text("RuntimeDefault")))))),
        ("containers", List(Container(workload))),
        ("volumes", List(ScratchVolumes(workload).Select(scratch => (YamlNode)Map(("name", Text(scratch.Name)), ("emptyDir", Map()))))));

    private static YamlMappingNode Container(KubernetesWorkload workload)
    {
        var source = workload.Source;
        var envFrom = new List<YamlNode> { Map(("configMapRef", Map(("name", Text(workload.ConfigName))))) };
        if (workload.SecretSettings.Count > 0)
        {
            envFrom.Add(Map(("secretRef", Map(("name", Text(workload.SecretName))))));
        }

        var mounts = source.Volumes.Select(volume => (volume.Name, volume.Target))
            .Concat(ScratchVolumes(workload))
            .Select(mount => (YamlNode)Map(("name", Text(mount.Name)), ("mountPath", Text(mount.Target))));
        var probes = Probes(source.Probes);
        return Map(
            ("name", Text(workload.Name)),
            ("image", Text(workload.ImageReference)),
            ("imagePullPolicy", Text("IfNotPresent")),
            ("ports", List(source.Ports.Select(port => (YamlNode)Map(
                ("name", Text(port.Name)), ("containerPort", Number(port.ContainerPort)), ("protocol", Text("TCP")))))),
            ("envFrom", List(envFrom)),
            ("startupProbe", probes?.Startup),
            ("livenessProbe", probes?.Liveness),
            ("readinessProbe", probes?.Readiness),
            ("resources", Resources(workload)),
            ("securityContext", Map(
                ("allowPrivilegeEscalation", Flag(false)),
                ("readOnlyRootFilesystem", Flag(true)),
                ("capabilities", Map(("drop", Texts(["ALL"])))))),
            // An exec'd `sleep` would fail in chiseled images: the kubelet's own sleep action needs no binary.
            ("lifecycle", Map(("preStop", Map(("sleep", Map(("seconds", Number(KubernetesApp.PreStopSleepSeconds)))))))),
            ("volumeMounts", List(mounts)));
    }

    /// <summary>Writable folders on a read-only root: /tmp always, and the Postgres socket folder.</summary>
    private static IEnumerable<(string Name, string Target)> ScratchVolumes(KubernetesWorkload workload)
    {
        yield return ("tmp", "/tmp");
        if (workload.Source.Probes is CommandHealthProbe)
        {
            yield return ("run", "/var/run/postgresql");
        }
    }

    /// <summary>
    /// The dashboard keeps telemetry in memory (up to its default telemetry limits): it gets Postgres' room. The backend
    /// holds 190-230 MB resident under load (bench/run.sh, docs/benchmarks.md) and the MCP server runs the same stack,
    /// so the .NET services request that much: a pod above its request is among the first evicted when a node runs
    /// short of memory.
    /// </summary>
    private static YamlMappingNode Resources(KubernetesWorkload workload)
    {
        var (memoryRequest, memoryLimit) = workload.IsStateful || workload.IsDashboard ? ("256Mi", "512Mi")
            : workload.Source.IsDotNetProject ? ("256Mi", "384Mi")
            : ("128Mi", "384Mi");
        return Map(("requests", Map(("cpu", Text("100m")), ("memory", Text(memoryRequest)))), ("limits", Map(("memory", Text(memoryLimit)))));
    }

    private static (YamlMappingNode Startup, YamlMappingNode Liveness, YamlMappingNode Readiness)? Probes(HealthProbes? probes) => probes switch
    {
        HttpHealthProbes http => (
            Probe(HttpGet(http.LivenessPath), period: 2, failures: 60),
            Probe(HttpGet(http.LivenessPath), period: 10, failures: 3),
            Probe(HttpGet(http.ReadinessPath), period: 5, failures: 3)),
        TcpHealthProbe tcp => (
            Probe(TcpSocket(tcp.PortName), period: 2, failures: 60),
            Probe(TcpSocket(tcp.PortName), period: 10, failures: 3),
            Probe(TcpSocket(tcp.PortName), period: 5, failures: 3)),
        CommandHealthProbe command => (
            Probe(Exec(command.Command), period: 2, failures: 60),
            Probe(Exec(command.Command), period: 10, failures: 6),
            Probe(Exec(command.Command), period: 5, failures: 3)),
        _ => null,
    };

    private static (string Key, YamlNode Value) HttpGet(string path) =>
        ("httpGet", Map(("path", Text(path)), ("port", Text("http"))));

    private static (string Key, YamlNode Value) TcpSocket(string portName) =>
        ("tcpSocket", Map(("port", Text(portName))));

    private static (string Key, YamlNode Value) Exec(IReadOnlyList<string> command) =>
        ("exec", Map(("command", Texts(command))));

    private static YamlMappingNode Probe((string Key, YamlNode Value) action, int period, int failures) => Map(
        (action.Key, action.Value),
        ("periodSeconds", Number(period)),
        ("timeoutSeconds", Number(3)),
        ("failureThreshold", Number(failures)));

    private static YamlMappingNode VolumeClaim(WorkloadVolume volume) => Map(
        ("metadata", Map(("name", Text(volume.Name)))),
        ("spec", Map(
            ("accessModes", Texts(["ReadWriteOnce"])),
            ("resources", Map(("requests", Map(("storage", Text(DefaultVolumeSize)))))))));
}
