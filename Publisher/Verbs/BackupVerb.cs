using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Verbs;

/// <summary><c>backup</c>: for the cluster's app, see <see cref="DatabaseVerbs"/>.</summary>
internal sealed partial class DeployVerbs
{
    public Task<int> BackupAsync(KubernetesApp app, string? kubeContext, string? file, bool helm) =>
        WithContextAsync(kubeContext, app.Namespace, context => new DatabaseVerbs(app, tools, helm).BackupAsync(context, file));
}

/// <summary><c>backup</c>: <c>pg_dump -Fc</c> of the in-cluster database through its pod.</summary>
internal sealed partial class DatabaseVerbs
{
    /// <summary>
    /// The dump and restore commands, as <c>kubectl exec [-i] POD -c CONTAINER -- sh -c SCRIPT</c> (kubectl exec --help:
    /// "-i, --stdin: Pass stdin to the container"); the single-quoted script expands the password inside the pod.
    /// <c>pg_restore --clean --if-exists</c> drops each object before re-creating it, <c>--single-transaction</c> makes
    /// it all or nothing, <c>--no-owner --no-privileges</c> leaves ownership and grants to the migrator (pg_restore(1)).
    /// </summary>
    public static string[] DumpCommand(KubeContext context, string pod, string container, string user, string database) => context.Kubectl(
        "-n", context.Namespace, "exec", pod, "-c", container, "--", "sh", "-c",
        $"PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_dump -U {user} -d {database} -Fc");

    public async Task<int> BackupAsync(KubeContext context, string? file)
    {
        var (user, database) = DatabaseBackup.Target(Database);
        var path = Path.GetFullPath(file ?? $"{database}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.dump");
        await tools.StreamAsync(DumpCommand(context, Name(Database.Name) + "-0", Database.Name, user, database), output: path);
        if (tools.DryRun)
        {
            return 0;
        }

        if (!IsCustomFormat(path))
        {
            File.Delete(path);
            await Console.WriteLineAsync("pg_dump wrote no custom-format archive; nothing was kept.");
            return 1;
        }

        await Console.WriteLineAsync($"Backed up {database} to {path} ({new FileInfo(path).Length} bytes). Keep the secret files with it (docs/kubernetes.md).");
        return 0;
    }
}
