using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// Scheduled logical backups of the app's Postgres (the production overlay; the chart's <c>backup.*</c>): a CronJob
/// running <c>pg_dump -Fc</c> from the database's own image into a PersistentVolumeClaim, keeping the newest
/// <see cref="DefaultRetention"/> dumps, with the restricted security context of every other pod and a NetworkPolicy
/// that lets it reach the database only. It connects as the database's owner (read-everything is what a dump needs).
/// </summary>
internal static class DatabaseBackup
{
    public const string Name = "postgres-backup";

    public const string ClaimName = "postgres-backups";

    public const string DefaultSchedule = "15 2 * * *";

    public const int DefaultRetention = 7;

    public const string DefaultStorage = "5Gi";

    /// <summary>Where the dumps go inside the pod: the claim's mount.</summary>
    public const string Folder = "/backups";

    /// <summary>
    /// The backup, as one shell script the CronJob runs (and a test runs against a real server): a dump is written under
    /// a temporary name and renamed when complete, so a failed run never leaves a truncated dump among the good ones;
    /// then all but the newest <c>$RETAIN</c> are deleted. Connection settings come from libpq's PG* variables.
    /// </summary>
    public const string Script = """
        set -eu
        stamp="$(date -u +%Y%m%dT%H%M%SZ)"
        pg_dump --format=custom --file="$BACKUP_DIR/tasksdb-$stamp.dump.partial"
        mv "$BACKUP_DIR/tasksdb-$stamp.dump.partial" "$BACKUP_DIR/tasksdb-$stamp.dump"
        ls -1t "$BACKUP_DIR"/tasksdb-*.dump | tail -n +"$((RETAIN + 1))" | xargs -r rm -f --
        echo "backed up to tasksdb-$stamp.dump; kept the newest $RETAIN"
        """;

    /// <summary>The database workload's user, database and password key (the Postgres image's own variables).</summary>
    public static (string User, string Database) Target(KubernetesWorkload database)
    {
        var settings = database.Settings.ToDictionary(setting => setting.Key, setting => setting.Value, StringComparer.Ordinal);
        return (settings.GetValueOrDefault("POSTGRES_USER", "postgres"), settings.GetValueOrDefault("POSTGRES_DB", "postgres"));
    }

    public static Mapping CronJob(KubernetesWorkload database, ObjectValues values, Value<string> schedule, Value<string> retention)
    {
        var (user, name) = Target(database);
        var container = new Container(
            Name: Name,
            Image: values.Image(database),
            ImagePullPolicy: values.PullPolicy(database),
            Command: ["sh", "-c", Script],
            Args: null,
            Ports: null,
            EnvFrom: null,
            Env: new EnvVar[]
            {
                new("PGHOST", values.Name(database.Name)),
                new("PGPORT", database.Source.Ports[0].ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new("PGUSER", user),
                new("PGDATABASE", name),
                new("PGPASSWORD", ValueFrom: new EnvVarSource(new SecretKeySelector(values.SecretName(database), PasswordKey(database)))),
                new("BACKUP_DIR", Folder),
                new("RETAIN", retention),
            },
            StartupProbe: null,
            LivenessProbe: null,
            ReadinessProbe: null,
            Resources: Map(("requests", Map(("cpu", Text("50m")), ("memory", Text("64Mi")))), ("limits", Map(("memory", Text("256Mi"))))),
            SecurityContext: WorkloadObjects.ContainerSecurity,
            Lifecycle: null,
            VolumeMounts: [new("backups", Folder), new("tmp", "/tmp")]);
        var pod = new PodSpec(
            AutomountServiceAccountToken: false,
            EnableServiceLinks: false,
            RestartPolicy: "Never",
            TerminationGracePeriodSeconds: null,
            ImagePullSecrets: values.ImagePullSecrets(database),
            SecurityContext: WorkloadObjects.PodSecurity(database.UserId),
            TopologySpreadConstraints: null,
            Containers: [container],
            Volumes: [new("backups", PersistentVolumeClaim: new PersistentVolumeClaimVolumeSource(values.Name(ClaimName))), new("tmp", EmptyDir: new())]);
        return ObjectWriter.ToNode(new CronJob(
            new ObjectMeta(values.Name(Name), BackupLabels(values)),
            // A slow dump is never run twice at once.
            new CronJobSpec(schedule, ConcurrencyPolicy: "Forbid", SuccessfulJobsHistoryLimit: 3, FailedJobsHistoryLimit: 3,
                new JobTemplateSpec(new JobSpec(BackoffLimit: 2, new PodTemplateSpec(new ObjectMeta(null, BackupLabels(values)), pod))))));
    }

    public static Mapping Claim(ObjectValues values, Value<string> storage, Value<string>? storageClass) => ObjectWriter.ToNode(new PersistentVolumeClaim(
        new ObjectMeta(values.Name(ClaimName), BackupLabels(values)),
        new PersistentVolumeClaimSpec(["ReadWriteOnce"], storageClass, new VolumeResourceRequirements(new StorageRequest(storage)))));

    /// <summary>The backup takes no traffic and reaches the database only (DNS comes from the app's shared policy).</summary>
    public static Mapping NetworkPolicy(KubernetesWorkload database, ObjectValues values) => ObjectWriter.ToNode(new NetworkPolicy(
        new ObjectMeta(values.Name(Name), BackupLabels(values)),
        new NetworkPolicySpec(new LabelSelector(values.SelectorLabels(Name)), ["Ingress", "Egress"], Ingress: [],
            Egress: [new NetworkPolicyEgressRule([NetworkPolicies.Peer(database.Name, values)], DatabasePorts(database))])));

    /// <summary>The rule the database's policy gains so the backup may connect.</summary>
    public static NetworkPolicyIngressRule DatabaseIngressRule(KubernetesWorkload database, ObjectValues values) =>
        new([NetworkPolicies.Peer(Name, values)], DatabasePorts(database));

    private static NetworkPolicyPort[] DatabasePorts(KubernetesWorkload database) =>
        [.. database.Source.Ports.Select(port => new NetworkPolicyPort("TCP", port.ContainerPort))];

    /// <summary>The key of the database's Secret holding the owner's password (the image's POSTGRES_PASSWORD).</summary>
    private static string PasswordKey(KubernetesWorkload database) =>
        database.SecretSettings.Concat(database.AllSecretSettings).Select(setting => setting.Name).FirstOrDefault(key => key.EndsWith("PASSWORD", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"{database.Name} has no password setting to back up with.");

    private static Mapping BackupLabels(ObjectValues values)
    {
        var labels = values.AppSelectorLabels();
        labels.Add("app.kubernetes.io/name", Text(Name));
        labels.Add("app.kubernetes.io/component", Text("backup"));
        return labels;
    }

}
