using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// <c>backup</c> and <c>restore</c> of the app's in-cluster PostgreSQL, through its pod: <c>pg_dump -Fc</c> out,
/// <c>pg_restore</c> in, with the services stopped in a way their autoscalers survive, the migrator run again and the
/// services back at the replica counts they had, ready and serving. The password never leaves the pod: the commands
/// read it from the container's own <c>POSTGRES_PASSWORD</c> inside <c>sh -c</c> (local connections need it:
/// <c>POSTGRES_INITDB_ARGS</c> sets <c>--auth-local=scram-sha-256</c>).
/// <c>backup</c> is in BackupVerb.cs, <c>restore</c> in RestoreVerb.cs; this file holds what they share.
/// </summary>
internal sealed partial class DatabaseVerbs(KubernetesApp app, ToolRunner tools, bool helm)
{
    /// <summary>The annotation that keeps a service's replica count while a restore holds it at 0 (so a re-run after a failure restores it).</summary>
    public const string ReplicasAnnotation = "dev.phase4/replicas-before-restore";

    /// <summary>The first bytes of a pg_dump custom-format archive (PostgreSQL src/bin/pg_dump/pg_backup_archiver.c: "PGDMP").</summary>
    private static readonly byte[] CustomFormatMagic = "PGDMP"u8.ToArray();

    private TextWriter Console => tools.Console;

    private KubernetesWorkload Database => app.DatabaseWorkload is { IsExternal: false } database ? database
        : throw new InvalidOperationException("The database is not deployed by this app (--database external): back it up and restore it with your provider's tools.");

    private string Name(string name) => helm ? HelmRelease.ObjectName(name) : name;

    /// <summary>The services that read the database: stopped while it is replaced.</summary>
    private IReadOnlyList<KubernetesWorkload> Readers => app.Workloads.Where(w => w.Scales && w.DatabaseConnections.Count > 0).ToList();

    private string[] ReplicasQuery(KubeContext context, KubernetesWorkload reader) => context.Kubectl(
        "-n", context.Namespace, "get", "deployment", Name(reader.Name),
        "-o", $"jsonpath={{.spec.replicas}}/{{.metadata.annotations.{ReplicasAnnotation.Replace(".", "\\.", StringComparison.Ordinal)}}}");

    private string[] Deployment(KubeContext context, KubernetesWorkload reader, string verb, params string[] arguments) =>
        context.Kubectl(["-n", context.Namespace, verb, "deployment", Name(reader.Name), .. arguments]);

    private static string Selector(KubernetesWorkload workload) =>
        string.Join(',', workload.SelectorLabels.Select(label => $"{label.Key}={label.Value}"));

    private static bool IsCustomFormat(string path)
    {
        var head = new byte[CustomFormatMagic.Length];
        using var file = File.OpenRead(path);
        return file.Read(head) == head.Length && head.AsSpan().SequenceEqual(CustomFormatMagic);
    }
}
