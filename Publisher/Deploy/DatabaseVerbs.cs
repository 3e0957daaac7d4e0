using System.Globalization;
using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// <c>backup</c> and <c>restore</c> of the app's in-cluster PostgreSQL, through its pod: <c>pg_dump -Fc</c> out,
/// <c>pg_restore</c> in, with the services stopped in a way their autoscalers survive, the migrator run again and the
/// services back at the replica counts they had, ready and serving. The password never leaves the pod: the commands
/// read it from the container's own <c>POSTGRES_PASSWORD</c> inside <c>sh -c</c> (local connections need it:
/// <c>POSTGRES_INITDB_ARGS</c> sets <c>--auth-local=scram-sha-256</c>).
/// </summary>
internal sealed class DatabaseVerbs(KubernetesApp app, ToolRunner tools, bool helm)
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

    /// <summary>
    /// The dump and restore commands, as <c>kubectl exec [-i] POD -c CONTAINER -- sh -c SCRIPT</c> (kubectl exec --help:
    /// "-i, --stdin: Pass stdin to the container"); the single-quoted script expands the password inside the pod.
    /// <c>pg_restore --clean --if-exists</c> drops each object before re-creating it, <c>--single-transaction</c> makes
    /// it all or nothing, <c>--no-owner --no-privileges</c> leaves ownership and grants to the migrator (pg_restore(1)).
    /// </summary>
    public static string[] DumpCommand(KubeContext context, string pod, string container, string user, string database) => context.Kubectl(
        "-n", KubernetesApp.Namespace, "exec", pod, "-c", container, "--", "sh", "-c",
        $"PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_dump -U {user} -d {database} -Fc");

    public static string[] RestoreCommand(KubeContext context, string pod, string container, string user, string database) => context.Kubectl(
        "-n", KubernetesApp.Namespace, "exec", "-i", pod, "-c", container, "--", "sh", "-c",
        $"PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_restore -U {user} -d {database} --clean --if-exists --no-owner --no-privileges --single-transaction");

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

    public async Task<int> RestoreAsync(KubeContext context, string file, bool confirmed)
    {
        var (user, database) = DatabaseBackup.Target(Database);
        var path = Path.GetFullPath(file);
        if (!File.Exists(path) || !IsCustomFormat(path))
        {
            await Console.WriteLineAsync($"{path} is not a pg_dump custom-format archive (made by `backup`); nothing was changed.");
            return 1;
        }

        if (!confirmed)
        {
            await Console.WriteLineAsync(
                $"restore replaces every table of {database} in namespace {KubernetesApp.Namespace} with {path}: {string.Join(" and ", Readers.Select(w => w.Name))} " +
                "stop meanwhile. Add --yes to do it.");
            return 1;
        }

        // What runs now, so it comes back exactly: a count held by an interrupted restore wins over today's 0.
        var replicas = new Dictionary<KubernetesWorkload, int>();
        foreach (var reader in Readers)
        {
            var answer = (await tools.ReadAsync(ReplicasQuery(context, reader)))?.Trim() ?? "1/";
            var parts = answer.Split('/');
            replicas[reader] = int.TryParse(parts.ElementAtOrDefault(1), NumberStyles.None, CultureInfo.InvariantCulture, out var held) ? held
                : int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var current) ? current : 1;
        }

        foreach (var (reader, count) in replicas)
        {
            // An autoscaler leaves a target scaled to 0 alone (ScalingDisabled; kubernetes pkg/controller/podautoscaler/
            // horizontal.go) and resumes once it has replicas again: nothing fights the stop, nothing keeps it.
            await tools.RunAsync(Deployment(context, reader, "annotate", $"{ReplicasAnnotation}={count.ToString(CultureInfo.InvariantCulture)}", "--overwrite"));
            await tools.RunAsync(Deployment(context, reader, "scale", "--replicas=0"));
        }

        foreach (var reader in Readers)
        {
            await tools.RunAsync(context.Kubectl("-n", KubernetesApp.Namespace, "wait", "--for=delete", "pod", "-l", Selector(reader), "--timeout=2m"));
        }

        await tools.StreamAsync(RestoreCommand(context, Name(Database.Name) + "-0", Database.Name, user, database), input: path);
        if (!await RunMigratorAgainAsync(context))
        {
            await Console.WriteLineAsync($"The data is restored but the migrator failed; {string.Join(" and ", Readers.Select(w => w.Name))} stay stopped. Fix it and run restore again (it brings them back to their counts).");
            return 1;
        }

        foreach (var (reader, count) in replicas)
        {
            await tools.RunAsync(Deployment(context, reader, "scale", $"--replicas={count.ToString(CultureInfo.InvariantCulture)}"));
            await tools.RunAsync(Deployment(context, reader, "annotate", $"{ReplicasAnnotation}-"));
        }

        foreach (var (reader, count) in replicas)
        {
            await tools.RunAsync(context.Kubectl("-n", KubernetesApp.Namespace, "rollout", "status", $"deployment/{Name(reader.Name)}", "--timeout=5m"));
            var endpoints = await tools.ReadAsync(context.Kubectl("-n", KubernetesApp.Namespace, "get", "endpointslices",
                "-l", $"kubernetes.io/service-name={Name(reader.Name)}", "-o", "jsonpath={.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}"));
            if (endpoints is not null && endpoints.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < count)
            {
                await Console.WriteLineAsync($"{reader.Name} has fewer ready endpoints ({endpoints.Trim()}) than its {count} replicas: it is not serving yet.");
                return 1;
            }
        }

        await Console.WriteLineAsync($"Restored {database} from {path}; {string.Join(", ", replicas.Select(entry => $"{entry.Key.Name} at {entry.Value}"))} ready and serving.");
        return 0;
    }

    /// <summary>
    /// The services' roles and grants are the migrator's (the dump carries no owners or privileges): a copy of the
    /// newest migrator Job of the cluster runs again, with that release's image and settings.
    /// </summary>
    private async Task<bool> RunMigratorAgainAsync(KubeContext context)
    {
        if (app.Workloads.FirstOrDefault(w => w.IsJob) is not { } migrator)
        {
            return true;
        }

        var jobs = await tools.ReadAsync(context.Kubectl("-n", KubernetesApp.Namespace, "get", "job", "-l", Selector(migrator), "-o", "json"));
        var rerun = Name(migrator.Name) + "-restore";
        var file = Path.Combine(Path.GetTempPath(), $"phase4-{rerun}-{Environment.ProcessId}.json");
        if (jobs is not null)
        {
            await File.WriteAllTextAsync(file, RerunOf(jobs, rerun));
        }

        try
        {
            await tools.RunAsync(context.Kubectl("-n", KubernetesApp.Namespace, "delete", "job", rerun, "--ignore-not-found", "--wait=true"));
            await tools.RunAsync(context.Kubectl("-n", KubernetesApp.Namespace, "create", "-f", file));
            await tools.RunAsync(context.Kubectl("-n", KubernetesApp.Namespace, "wait", $"job/{rerun}", "--for=condition=complete", "--timeout=5m"));
            return true;
        }
        catch (InvalidOperationException e)
        {
            await Console.WriteLineAsync(e.Message);
            return false;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A new Job from the newest in <paramref name="jobList"/> (a batch/v1 JobList): its labels and pod template, without
    /// what the Job controller added (the selector and the <c>controller-uid</c>/<c>job-name</c> labels it generates,
    /// kubernetes pkg/apis/batch: "batch.kubernetes.io/controller-uid") and without Helm's hook annotations.
    /// </summary>
    public static string RerunOf(string jobList, string name)
    {
        var newest = (JsonNode.Parse(jobList)?["items"]?.AsArray() ?? [])
            .OrderByDescending(job => job?["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new InvalidOperationException("No migrator Job in the cluster: apply first.");
        var template = newest["spec"]!["template"]!.DeepClone();
        if (template["metadata"]?["labels"] is JsonObject podLabels)
        {
            foreach (var generated in (string[])["controller-uid", "job-name", "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-name"])
            {
                podLabels.Remove(generated);
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = KubernetesApp.Namespace,
                ["labels"] = newest["metadata"]?["labels"]?.DeepClone(),
            },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = newest["spec"]?["backoffLimit"]?.DeepClone(),
                ["template"] = template,
            },
        }.ToJsonString();
    }

    private string[] ReplicasQuery(KubeContext context, KubernetesWorkload reader) => context.Kubectl(
        "-n", KubernetesApp.Namespace, "get", "deployment", Name(reader.Name),
        "-o", $"jsonpath={{.spec.replicas}}/{{.metadata.annotations.{ReplicasAnnotation.Replace(".", "\\.", StringComparison.Ordinal)}}}");

    private string[] Deployment(KubeContext context, KubernetesWorkload reader, string verb, params string[] arguments) =>
        context.Kubectl(["-n", KubernetesApp.Namespace, verb, "deployment", Name(reader.Name), .. arguments]);

    private static string Selector(KubernetesWorkload workload) =>
        string.Join(',', workload.SelectorLabels.Select(label => $"{label.Key}={label.Value}"));

    private static bool IsCustomFormat(string path)
    {
        var head = new byte[CustomFormatMagic.Length];
        using var file = File.OpenRead(path);
        return file.Read(head) == head.Length && head.AsSpan().SequenceEqual(CustomFormatMagic);
    }
}
