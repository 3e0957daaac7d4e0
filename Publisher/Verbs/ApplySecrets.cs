using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// <c>apply</c>'s part in keeping the generated values off the disk: the render with transient env files, and what an
/// earlier publisher left in plain text (its <c>.&lt;name&gt;.secrets</c> files and rendered manifests).
/// </summary>
internal sealed partial class DeployVerbs
{
    /// <summary>
    /// <c>kubectl kustomize</c> of the apply folder, its output in memory (null in a dry run). The secretGenerators read
    /// the Secrets' env files, which exist only meanwhile: owner-only, removed however the render ends.
    /// </summary>
    private async Task<string?> RenderAsync(string folder, SecretPlan plan)
    {
        var command = DeployCommands.Render(repository.Relative(folder));
        if (tools.DryRun)
        {
            tools.Print(command);
            return null;
        }

        using (TransientSecretFiles.Write(outputFolder, plan.Values))
        {
            return await tools.ReadAsync(command);
        }
    }

    /// <summary>
    /// The rendered manifests and release records an earlier publisher wrote under <c>.deploy/</c> (mode 0600, holding the
    /// Secrets): nothing reads them, and nothing sensitive is to stay in the output folder.
    /// </summary>
    private async Task RemoveEarlierRendersAsync()
    {
        var deploy = Path.Combine(outputFolder, ApplyKustomization.Folder);
        if (tools.DryRun || !Directory.Exists(deploy))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(deploy, "*", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) is "manifests.yaml" or "release.json"))
        {
            File.Delete(file);
            await Console.WriteLineAsync($"removed {repository.Relative(file)} (written by an earlier publisher; it held the Secrets)");
        }
    }

    /// <summary>
    /// The plain-text <c>.&lt;name&gt;.secrets</c> files an earlier publisher kept in the output folder: read once as a
    /// source beside the cluster, and removed after a successful apply has put their values in the cluster.
    /// </summary>
    private Dictionary<string, StoredSecret> LegacySecretFiles(KubernetesApp app) => app.Workloads
        .Where(w => w.SecretSettings.Count > 0 && File.Exists(Path.Combine(outputFolder, w.Name, w.SecretsFileName)))
        .ToDictionary(
            w => w.Name,
            w => new StoredSecret(repository.Relative(Path.Combine(outputFolder, w.Name, w.SecretsFileName)), SecretFiles.Read(Path.Combine(outputFolder, w.Name, w.SecretsFileName))),
            StringComparer.Ordinal);

    /// <summary>The cluster's Secrets completed with the keys only a legacy file holds; a key both hold differently is refused.</summary>
    private static Dictionary<string, StoredSecret> Merge(IReadOnlyDictionary<string, StoredSecret> cluster, IReadOnlyDictionary<string, StoredSecret> legacy)
    {
        var merged = new Dictionary<string, StoredSecret>(cluster, StringComparer.Ordinal);
        foreach (var (workload, file) in legacy)
        {
            if (!merged.TryGetValue(workload, out var secret))
            {
                merged[workload] = file;
                continue;
            }

            var values = new Dictionary<string, string>(secret.Values, StringComparer.Ordinal);
            foreach (var (key, value) in file.Values)
            {
                if (values.TryGetValue(key, out var held) && held != value)
                {
                    throw new InvalidOperationException($"{secret.Source} and {file.Source} hold different values of {key}: the cluster's is the one in use; delete the file. Nothing was changed.");
                }

                values[key] = value;
            }

            merged[workload] = secret with { Values = values };
        }

        return merged;
    }
}
