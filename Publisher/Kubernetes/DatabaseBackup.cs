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

    public static Mapping CronJob(KubernetesWorkload database, ObjectValues values, Node schedule, Node retention)
    {
        var (user, name) = Target(database);
        var labels = BackupLabels(values);
        return Map(
            ("apiVersion", Text("batch/v1")),
            ("kind", Text("CronJob")),
            ("metadata", Map(("name", values.Name(Name)), ("labels", labels))),
            ("spec", Map(
                ("schedule", schedule),
                // A slow dump is never run twice at once.
                ("concurrencyPolicy", Text("Forbid")),
                ("successfulJobsHistoryLimit", Number(3)),
                ("failedJobsHistoryLimit", Number(3)),
                ("jobTemplate", Map(("spec", Map(
                    ("backoffLimit", Number(2)),
                    ("template", Map(
                        ("metadata", Map(("labels", BackupLabels(values)))),
                        ("spec", Map(
                            ("automountServiceAccountToken", Flag(false)),
                            ("enableServiceLinks", Flag(false)),
                            ("restartPolicy", Text("Never")),
                            ("securityContext", Map(
                                ("runAsNonRoot", Flag(true)),
                                ("runAsUser", Number(database.UserId)),
                                ("runAsGroup", Number(database.UserId)),
                                ("fsGroup", Number(database.UserId)),
                                ("fsGroupChangePolicy", Text("OnRootMismatch")),
                                ("seccompProfile", Map(("type", Text("RuntimeDefault")))))),
                            ("containers", List(Map(
                                ("name", Text(Name)),
                                ("image", values.Image(database)),
                                ("imagePullPolicy", values.PullPolicy(database)),
                                ("command", Texts(["sh", "-c", Script])),
                                ("env", List(
                                    Variable("PGHOST", values.Name(database.Name)),
                                    Variable("PGPORT", Text(database.Source.Ports[0].ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                                    Variable("PGUSER", Text(user)),
                                    Variable("PGDATABASE", Text(name)),
                                    Map(("name", Text("PGPASSWORD")), ("valueFrom", Map(("secretKeyRef", Map(
                                        ("name", values.SecretName(database)),
                                        ("key", Text(PasswordKey(database)))))))),
                                    Variable("BACKUP_DIR", Text(Folder)),
                                    Variable("RETAIN", retention))),
                                ("resources", Map(
                                    ("requests", Map(("cpu", Text("50m")), ("memory", Text("64Mi")))),
                                    ("limits", Map(("memory", Text("256Mi")))))),
                                ("securityContext", Map(
                                    ("allowPrivilegeEscalation", Flag(false)),
                                    ("readOnlyRootFilesystem", Flag(true)),
                                    ("capabilities", Map(("drop", Texts(["ALL"])))))),
                                ("volumeMounts", List(
                                    Map(("name", Text("backups")), ("mountPath", Text(Folder))),
                                    Map(("name", Text("tmp")), ("mountPath", Text("/tmp")))))))),
                            ("volumes", List(
                                Map(("name", Text("backups")), ("persistentVolumeClaim", Map(("claimName", values.Name(ClaimName))))),
                                Map(("name", Text("tmp")), ("emptyDir", Map())))))))))))))));
    }

    public static Mapping Claim(ObjectValues values, Node storage, IEnumerable<Entry> storageClass) => Map(
        ("apiVersion", Text("v1")),
        ("kind", Text("PersistentVolumeClaim")),
        ("metadata", Map(("name", values.Name(ClaimName)), ("labels", BackupLabels(values)))),
        ("spec", Map([
            ("accessModes", Texts(["ReadWriteOnce"])),
            .. storageClass,
            ("resources", Map(("requests", Map(("storage", storage)))))])));

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

    private static Mapping Variable(string name, Node value) => Map(("name", Text(name)), ("value", value));
}
