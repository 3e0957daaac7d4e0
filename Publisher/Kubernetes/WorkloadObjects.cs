using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// A workload's Deployment or StatefulSet, its Services, autoscaler, disruption budget and ConfigMap, and the
/// Ingress of the entry point, with the fields that differ between deployments taken from <see cref="ObjectValues"/>.
/// </summary>
internal static class WorkloadObjects
{
    public static Mapping Workload(KubernetesWorkload workload, ObjectValues values) => workload.IsJob ? Job(workload, values) : Map(
        ("apiVersion", Text("apps/v1")),
        ("kind", Text(workload.Kind)),
        ("metadata", Metadata(workload, workload.Name, values)),
        ("spec", Map([
            // Scaled workloads have no replicas here: their HorizontalPodAutoscaler owns the count.
            .. values.Replicas(workload),
            // A StatefulSet's governing Service is headless: it gives each pod its DNS name (postgres-0.postgres-headless).
            ("serviceName", workload.IsStateful ? values.Name(workload.HeadlessServiceName) : null),
            ("selector", Map(("matchLabels", values.SelectorLabels(workload.Name)))),
            ("strategy", workload.IsStateful ? null : Map(
                ("type", Text("RollingUpdate")),
                ("rollingUpdate", Map(("maxUnavailable", Number(0)), ("maxSurge", Number(1)))))),
            ("template", Map(
                ("metadata", Map([("labels", values.Labels(workload)), .. values.PodAnnotations(workload)])),
                ("spec", PodSpec(workload, values)))),
            ("volumeClaimTemplates", workload.IsStateful ? List(workload.Source.Volumes.Select(volume => (Node)VolumeClaim(workload, volume, values))) : null)])));

    /// <summary>
    /// A task run to completion: a Job whose pod is not restarted in place (<c>restartPolicy: Never</c>, so each failed
    /// attempt keeps its logs) and is retried a few times (<c>backoffLimit</c>) while its dependencies come up.
    /// </summary>
    private static Mapping Job(KubernetesWorkload workload, ObjectValues values) => Map(
        ("apiVersion", Text("batch/v1")),
        ("kind", Text("Job")),
        ("metadata", Metadata(workload, workload.Name, values)),
        ("spec", Map(
            ("backoffLimit", Number(JobRetries)),
            ("template", Map(
                ("metadata", Map([("labels", values.Labels(workload)), .. values.PodAnnotations(workload)])),
                ("spec", PodSpec(workload, values)))))));

    /// <summary>Retries of a failed job attempt (the migrator retries a missing database itself, for 5 minutes).</summary>
    public const int JobRetries = 4;

    public static Mapping Service(KubernetesWorkload workload, ObjectValues values) => ObjectWriter.ToNode(new Service(
        ObjectMeta(workload, workload.Name, values),
        new ServiceSpec(values.ServiceType(workload), ClusterIP: null, PublishNotReadyAddresses: null, values.SelectorLabels(workload.Name), ServicePorts(workload))));

    /// <summary>
    /// The StatefulSet's governing Service: no cluster IP, and the pods' addresses published before they are ready, as
    /// the well-kept database charts do (peers and init logic may need a pod's name before it serves).
    /// </summary>
    public static Mapping HeadlessService(KubernetesWorkload workload, ObjectValues values) => ObjectWriter.ToNode(new Service(
        ObjectMeta(workload, workload.HeadlessServiceName, values),
        new ServiceSpec("ClusterIP", ClusterIP: "None", PublishNotReadyAddresses: true, values.SelectorLabels(workload.Name), ServicePorts(workload))));

    public static Mapping Autoscaler(KubernetesWorkload workload, ObjectValues values) => ObjectWriter.ToNode(new HorizontalPodAutoscaler(
        ObjectMeta(workload, workload.Name, values),
        new HorizontalPodAutoscalerSpec(
            new CrossVersionObjectReference("apps/v1", workload.Kind, values.Name(workload.Name)),
            values.MinReplicas(workload),
            values.MaxReplicas(workload),
            [new MetricSpec("Resource", new ResourceMetricSource("cpu", new MetricTarget("Utilization", values.TargetCpuUtilization(workload))))])));

    /// <summary>One pod may be evicted at a time: a node drain proceeds even at one replica, never below it.</summary>
    public static Mapping DisruptionBudget(KubernetesWorkload workload, ObjectValues values) => ObjectWriter.ToNode(new PodDisruptionBudget(
        ObjectMeta(workload, workload.Name, values),
        new PodDisruptionBudgetSpec(MaxUnavailable: 1, new LabelSelector(values.SelectorLabels(workload.Name)))));

    public static Mapping ConfigMap(KubernetesWorkload workload, ObjectValues values) => ObjectWriter.ToNode(new ConfigMap(
        ObjectMeta(workload, workload.ConfigName, values),
        Map([.. workload.SettingValues.Select(setting => (Entry)(setting.Name, values.Setting(workload, setting.Name, setting.Value)))])));

    public static Mapping Ingress(KubernetesWorkload entry, ObjectValues values) => ObjectWriter.ToNode(new Ingress(
        ObjectMeta(entry, entry.Name, values),
        new IngressSpec(values.IngressClass(), values.IngressTls(), [new IngressRule(values.IngressHost(), new HttpIngressRuleValue([
            new HttpIngressPath("/", "Prefix", new IngressBackend(new IngressServiceBackend(values.Name(entry.Name), new ServiceBackendPort(entry.Source.Ports[0].Name))))]))])));

    public static Mapping Metadata(KubernetesWorkload workload, string name, ObjectValues values) =>
        Map(("name", values.Name(name)), ("labels", values.Labels(workload)));

    public static ObjectMeta ObjectMeta(KubernetesWorkload workload, string name, ObjectValues values) => new(values.Name(name), values.Labels(workload));

    private static IReadOnlyList<ServicePort> ServicePorts(KubernetesWorkload workload) =>
        [.. workload.Source.Ports.Select(port => new ServicePort(port.Name, port.ContainerPort, port.Name, "TCP"))];

    private static Mapping PodSpec(KubernetesWorkload workload, ObjectValues values) => Map([
        ("automountServiceAccountToken", Flag(false)),
        ("enableServiceLinks", Flag(false)),
        ("restartPolicy", workload.IsJob ? Text("Never") : null),
        ("terminationGracePeriodSeconds", Number(KubernetesApp.TerminationGracePeriodSeconds)),
        .. values.ImagePullSecrets(workload),
        ("securityContext", Map(
            ("runAsNonRoot", Flag(true)),
            ("runAsUser", Number(workload.UserId)),
            ("runAsGroup", Number(workload.UserId)),
            ("fsGroup", Number(workload.UserId)),
            // Changing a volume's owner on every start is slow for a large database: only when its root is not ours.
            ("fsGroupChangePolicy", Text("OnRootMismatch")),
            ("seccompProfile", Map(("type", Text("RuntimeDefault")))))),
        .. values.TopologySpread(workload),
        ("containers", List(Container(workload, values))),
        ("volumes", List(ScratchVolumes(workload).Select(scratch => (Node)Map(("name", Text(scratch.Name)), ("emptyDir", scratch.EmptyDir)))))]);

    private static Mapping Container(KubernetesWorkload workload, ObjectValues values)
    {
        var source = workload.Source;
        var envFrom = new List<Node> { Map(("configMapRef", Map(("name", values.Name(workload.ConfigName))))) };
        if (values.SecretSettings(workload).Count > 0)
        {
            envFrom.Add(Map(("secretRef", Map(("name", values.SecretName(workload))))));
        }

        var mounts = source.Volumes.Select(volume => (volume.Name, volume.Target))
            .Concat(ScratchVolumes(workload).Select(scratch => (scratch.Name, scratch.Target)))
            .Select(mount => (Node)Map(("name", Text(mount.Name)), ("mountPath", Text(mount.Target))));
        var probes = Probes(source.Probes);
        return Map([
            ("name", Text(workload.Name)),
            ("image", values.Image(workload)),
            ("imagePullPolicy", values.PullPolicy(workload)),
            ("command", source.Entrypoint is { } entrypoint ? Texts([entrypoint]) : null),
            ("args", workload.ContainerArgs.Count > 0 ? List(workload.ContainerArgs.Select(arg => values.Argument(workload, arg))) : null),
            ("ports", source.Ports.Count > 0 ? List(source.Ports.Select(port => (Node)Map(
                ("name", Text(port.Name)), ("containerPort", Number(port.ContainerPort)), ("protocol", Text("TCP"))))) : null),
            ("envFrom", List(envFrom)),
            .. values.DatabaseConnectionEnv(workload),
            ("startupProbe", probes?.Startup),
            ("livenessProbe", probes?.Liveness),
            ("readinessProbe", probes?.Readiness),
            ("resources", values.Resources(workload)),
            ("securityContext", Map(
                ("allowPrivilegeEscalation", Flag(false)),
                ("readOnlyRootFilesystem", Flag(true)),
                ("capabilities", Map(("drop", Texts(["ALL"])))))),
            // An exec'd `sleep` would fail in chiseled images: the kubelet's own sleep action needs no binary. A job
            // takes no traffic, so it has nothing to drain.
            ("lifecycle", workload.IsJob ? null : Map(("preStop", Map(("sleep", Map(("seconds", Number(KubernetesApp.PreStopSleepSeconds)))))))),
            ("volumeMounts", List(mounts))]);
    }

    /// <summary>
    /// Writable folders on a read-only root: /tmp always; for Postgres its socket folder and a memory-backed /dev/shm
    /// (the container runtime's default is 64 MB, too small for parallel queries' dynamic shared memory).
    /// </summary>
    private static IEnumerable<(string Name, string Target, Mapping EmptyDir)> ScratchVolumes(KubernetesWorkload workload)
    {
        yield return ("tmp", "/tmp", Map());
        if (workload.Source.Probes is CommandHealthProbe)
        {
            yield return ("run", "/var/run/postgresql", Map());
            yield return ("dshm", "/dev/shm", Map(("medium", Text("Memory"))));
        }
    }

    private static (Mapping Startup, Mapping Liveness, Mapping Readiness)? Probes(HealthProbes? probes) => probes switch
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

    private static (string Key, Node Value) HttpGet(string path) =>
        ("httpGet", Map(("path", Text(path)), ("port", Text("http"))));

    private static (string Key, Node Value) TcpSocket(string portName) =>
        ("tcpSocket", Map(("port", Text(portName))));

    private static (string Key, Node Value) Exec(IReadOnlyList<string> command) =>
        ("exec", Map(("command", Texts(command))));

    private static Mapping Probe((string Key, Node Value) action, int period, int failures) => Map(
        (action.Key, action.Value),
        ("periodSeconds", Number(period)),
        ("timeoutSeconds", Number(3)),
        ("failureThreshold", Number(failures)));

    private static Mapping VolumeClaim(KubernetesWorkload workload, WorkloadVolume volume, ObjectValues values) => Map(
        ("metadata", Map(("name", Text(volume.Name)))),
        ("spec", Map([
            ("accessModes", Texts(["ReadWriteOnce"])),
            .. values.StorageClass(workload),
            ("resources", Map(("requests", Map(("storage", values.StorageSize(workload))))))])));
}
