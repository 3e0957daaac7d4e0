using System.Globalization;
using System.Text.Json.Nodes;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Verbs;

/// <summary><c>restore</c>: for the cluster's app, see <see cref="DatabaseVerbs"/>.</summary>
internal sealed partial class DeployVerbs
{
    public Task<int> RestoreAsync(KubernetesApp app, string? kubeContext, string file, bool confirmed, bool helm) =>
        WithContextAsync(kubeContext, app.Namespace, context => new DatabaseVerbs(app, tools, helm).RestoreAsync(context, file, confirmed));
}

/// <summary><c>restore</c>: the services stopped, <c>pg_restore</c>, the migrator run again, the services back.</summary>
internal sealed partial class DatabaseVerbs
{
    public static string[] RestoreCommand(KubeContext context, string pod, string container, string user, string database) => context.Kubectl(
        "-n", context.Namespace, "exec", "-i", pod, "-c", container, "--", "sh", "-c",
        $"PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_restore -U {user} -d {database} --clean --if-exists --no-owner --no-privileges --single-transaction");

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
                $"restore replaces every table of {database} in namespace {context.Namespace} with {path}: {string.Join(" and ", Readers.Select(w => w.Name))} " +
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
            await tools.RunAsync(context.Kubectl("-n", context.Namespace, "wait", "--for=delete", "pod", "-l", Selector(reader), "--timeout=2m"));
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
            await tools.RunAsync(context.Kubectl("-n", context.Namespace, "rollout", "status", $"deployment/{Name(reader.Name)}", "--timeout=5m"));
            var endpoints = await tools.ReadAsync(context.Kubectl("-n", context.Namespace, "get", "endpointslices",
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

        var jobs = await tools.ReadAsync(context.Kubectl("-n", context.Namespace, "get", "job", "-l", Selector(migrator), "-o", "json"));
        var rerun = Name(migrator.Name) + "-restore";
        var file = Path.Combine(Path.GetTempPath(), $"phase4-{rerun}-{Environment.ProcessId}.json");
        if (jobs is not null)
        {
            await File.WriteAllTextAsync(file, RerunOf(jobs, rerun, context.Namespace));
        }

        try
        {
            await tools.RunAsync(context.Kubectl("-n", context.Namespace, "delete", "job", rerun, "--ignore-not-found", "--wait=true"));
            await tools.RunAsync(context.Kubectl("-n", context.Namespace, "create", "-f", file));
            await tools.RunAsync(context.Kubectl("-n", context.Namespace, "wait", $"job/{rerun}", "--for=condition=complete", "--timeout=5m"));
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
    public static string RerunOf(string jobList, string name, string @namespace)
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
                ["namespace"] = @namespace,
                ["labels"] = newest["metadata"]?["labels"]?.DeepClone(),
            },
            ["spec"] = new JsonObject
            {
                ["backoffLimit"] = newest["spec"]?["backoffLimit"]?.DeepClone(),
                ["template"] = template,
            },
        }.ToJsonString();
    }
}
