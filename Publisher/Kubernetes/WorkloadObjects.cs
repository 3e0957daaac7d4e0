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
    public static Mapping Workload(KubernetesWorkload workload, ObjectValues values)
    {
        var metadata = ObjectMeta(workload, workload.Name, values);
        var selector = new LabelSelector(values.SelectorLabels(workload.Name));
        KubernetesObject resource = workload.IsJob ? new Job(metadata, new JobSpec(JobRetries, PodTemplate(workload, values)))
            : workload.IsStateful ? new StatefulSet(metadata, new StatefulSetSpec(
                values.Replicas(workload),
                // The governing Service is headless: it gives each pod its DNS name (postgres-0.postgres-headless).
                values.Name(workload.HeadlessServiceName),
                selector,
                PodTemplate(workload, values),
                [.. workload.Source.Volumes.Select(volume => VolumeClaim(workload, volume, values))]))
            // Scaled workloads have no replicas here: their HorizontalPodAutoscaler owns the count.
            : new Deployment(metadata, new DeploymentSpec(
                values.Replicas(workload),
                selector,
                new DeploymentStrategy("RollingUpdate", new RollingUpdateDeployment(MaxUnavailable: 0, MaxSurge: 1)),
                PodTemplate(workload, values)));
        return ObjectWriter.ToNode(resource);
    }

    /// <summary>
    /// Retries of a failed job attempt (the migrator retries a missing database itself, for 5 minutes). A task run to
    /// completion is a Job whose pod is not restarted in place (<c>restartPolicy: Never</c>, so each failed attempt keeps
    /// its logs) and is retried a few times (<c>backoffLimit</c>) while its dependencies come up.
    /// </summary>
    public const int JobRetries = 4;

    private static PodTemplateSpec PodTemplate(KubernetesWorkload workload, ObjectValues values) =>
        new(new ObjectMeta(null, values.Labels(workload), values.PodAnnotations(workload) is { } annotations ? (Value<Mapping>)annotations : null), PodSpec(workload, values));

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
        ObjectMeta(entry, entry.Name, values) with { Annotations = values.IngressAnnotations() },
        new IngressSpec(values.IngressClass(), values.IngressTls(), [new IngressRule(values.IngressHost(), new HttpIngressRuleValue([
            new HttpIngressPath("/", "Prefix", new IngressBackend(new IngressServiceBackend(values.Name(entry.Name), new ServiceBackendPort(entry.Source.Ports[0].Name))))]))])));

    /// <summary>
    /// The Gateway API's alternative to the Ingress: <paramref name="host"/>, every path, from the operator's Gateway
    /// (<paramref name="gateway"/>) to the entry point's Service port. TLS is the Gateway listener's.
    /// </summary>
    public static Mapping HttpRoute(KubernetesWorkload entry, ObjectValues values, ParentReference gateway, Node host) => ObjectWriter.ToNode(new HttpRoute(
        ObjectMeta(entry, entry.Name, values),
        new HttpRouteSpec([gateway], [host], [new HttpRouteRule(
            [new HttpRouteMatch(new HttpPathMatch("PathPrefix", "/"))],
            [new HttpBackendRef(values.Name(entry.Name), entry.Source.Ports[0].ContainerPort)])])));

    public static ObjectMeta ObjectMeta(KubernetesWorkload workload, string name, ObjectValues values) => new(values.Name(name), values.Labels(workload));

    private static IReadOnlyList<ServicePort> ServicePorts(KubernetesWorkload workload) =>
        [.. workload.Source.Ports.Select(port => new ServicePort(port.Name, port.ContainerPort, port.Name, "TCP"))];

    private static PodSpec PodSpec(KubernetesWorkload workload, ObjectValues values) => new(
        AutomountServiceAccountToken: false,
        EnableServiceLinks: false,
        RestartPolicy: workload.IsJob ? "Never" : null,
        TerminationGracePeriodSeconds: KubernetesApp.TerminationGracePeriodSeconds,
        ImagePullSecrets: values.ImagePullSecrets(workload),
        SecurityContext: PodSecurity(workload.UserId),
        TopologySpreadConstraints: values.TopologySpread(workload),
        Containers: [Container(workload, values)],
        Volumes: [.. ScratchVolumes(workload).Select(scratch => new Volume(scratch.Name, EmptyDir: scratch.EmptyDir))]);

    /// <summary>Non-root as <paramref name="userId"/>, the runtime's seccomp profile (Pod Security's <c>restricted</c>).</summary>
    public static PodSecurityContext PodSecurity(int userId) =>
        // Changing a volume's owner on every start is slow for a large database: only when its root is not ours.
        new(RunAsNonRoot: true, userId, userId, userId, "OnRootMismatch", new SeccompProfile("RuntimeDefault"));

    /// <summary>No privilege escalation, a read-only root, no capabilities.</summary>
    public static SecurityContext ContainerSecurity { get; } = new(AllowPrivilegeEscalation: false, ReadOnlyRootFilesystem: true, new Capabilities(["ALL"]));

    private static Container Container(KubernetesWorkload workload, ObjectValues values)
    {
        var source = workload.Source;
        List<EnvFromSource> envFrom = [new(ConfigMapRef: new NamedSource(values.Name(workload.ConfigName)))];
        if (values.SecretSettings(workload).Count > 0)
        {
            envFrom.Add(new(SecretRef: new NamedSource(values.SecretName(workload))));
        }

        var mounts = source.Volumes.Select(volume => new VolumeMount(volume.Name, volume.Target))
            .Concat(ScratchVolumes(workload).Select(scratch => new VolumeMount(scratch.Name, scratch.Target)));
        var probes = Probes(source.Probes);
        return new Container(
            Name: workload.Name,
            Image: values.Image(workload),
            ImagePullPolicy: values.PullPolicy(workload),
            Command: source.Entrypoint is { } entrypoint ? [entrypoint] : null,
            Args: workload.ContainerArgs.Count > 0 ? [.. workload.ContainerArgs.Select(arg => (Value<string>)values.Argument(workload, arg))] : null,
            Ports: source.Ports.Count > 0 ? [.. source.Ports.Select(port => new ContainerPortSpec(port.Name, port.ContainerPort, "TCP"))] : null,
            EnvFrom: envFrom,
            Env: values.DatabaseConnectionEnv(workload),
            StartupProbe: probes?.Startup,
            LivenessProbe: probes?.Liveness,
            ReadinessProbe: probes?.Readiness,
            Resources: values.Resources(workload),
            SecurityContext: ContainerSecurity,
            // An exec'd `sleep` would fail in chiseled images: the kubelet's own sleep action needs no binary. A job
            // takes no traffic, so it has nothing to drain.
            Lifecycle: workload.IsJob ? null : new Lifecycle(new LifecycleHandler(new SleepAction(KubernetesApp.PreStopSleepSeconds))),
            VolumeMounts: [.. mounts]);
    }

    /// <summary>
    /// Writable folders on a read-only root: /tmp always; for Postgres its socket folder and a memory-backed /dev/shm
    /// (the container runtime's default is 64 MB, too small for parallel queries' dynamic shared memory).
    /// </summary>
    private static IEnumerable<(string Name, string Target, EmptyDirVolumeSource EmptyDir)> ScratchVolumes(KubernetesWorkload workload)
    {
        yield return ("tmp", "/tmp", new());
        if (workload.Source.Probes is CommandHealthProbe)
        {
            yield return ("run", "/var/run/postgresql", new());
            yield return ("dshm", "/dev/shm", new("Memory"));
        }
    }

    /// <remarks>
    /// An HTTP service's startup probe runs every second (up to 120 s, as the others' 60 × 2 s): the kubelet runs the
    /// readiness probe as soon as the startup probe first passes (kubernetes/kubernetes pkg/kubelet/prober/
    /// prober_manager.go, <c>UpdatePodStatus</c>), so a new pod joins its Service within a second of its warm-up
    /// (ServiceDefaults' <c>/started</c>) instead of at the next 5 s readiness period.
    /// </remarks>
    private static (Probe Startup, Probe Liveness, Probe Readiness)? Probes(HealthProbes? probes) => probes switch
    {
        HttpHealthProbes http => (
            new Probe(new HttpGetAction(http.StartupPath, "http"), null, null, PeriodSeconds: 1, TimeoutSeconds: 3, FailureThreshold: 120),
            new Probe(new HttpGetAction(http.LivenessPath, "http"), null, null, PeriodSeconds: 10, TimeoutSeconds: 3, FailureThreshold: 3),
            new Probe(new HttpGetAction(http.ReadinessPath, "http"), null, null, PeriodSeconds: 5, TimeoutSeconds: 3, FailureThreshold: 3)),
        TcpHealthProbe tcp => (
            new Probe(null, new TcpSocketAction(tcp.PortName), null, PeriodSeconds: 2, TimeoutSeconds: 3, FailureThreshold: 60),
            new Probe(null, new TcpSocketAction(tcp.PortName), null, PeriodSeconds: 10, TimeoutSeconds: 3, FailureThreshold: 3),
            new Probe(null, new TcpSocketAction(tcp.PortName), null, PeriodSeconds: 5, TimeoutSeconds: 3, FailureThreshold: 3)),
        CommandHealthProbe command => (
            new Probe(null, null, new ExecAction(command.Command), PeriodSeconds: 2, TimeoutSeconds: 3, FailureThreshold: 60),
            new Probe(null, null, new ExecAction(command.Command), PeriodSeconds: 10, TimeoutSeconds: 3, FailureThreshold: 6),
            new Probe(null, null, new ExecAction(command.Command), PeriodSeconds: 5, TimeoutSeconds: 3, FailureThreshold: 3)),
        _ => null,
    };

    private static PersistentVolumeClaimTemplate VolumeClaim(KubernetesWorkload workload, WorkloadVolume volume, ObjectValues values) => new(
        new ObjectMeta(volume.Name, null),
        new PersistentVolumeClaimSpec(["ReadWriteOnce"], values.StorageClass(workload), new VolumeResourceRequirements(new StorageRequest(values.StorageSize(workload)))));
}
