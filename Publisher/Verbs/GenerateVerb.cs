using Phase4.Publisher.Compose;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Verbs;

/// <summary><c>generate</c>: the compose file, the Kustomize base and overlays and the Helm chart, from the model.</summary>
internal static partial class Generation
{
    /// <summary>Writes every generated file into <paramref name="outputFolder"/> and returns their paths.</summary>
    public static IReadOnlyList<string> Generate(DeploymentModel model, RepositoryLayout repository, string outputFolder, KubernetesOptions options)
    {
        // First, so that options the model refuses (a connection budget that does not fit) leave nothing written.
        var app = KubernetesApp.From(model, repository, options);
        Directory.CreateDirectory(outputFolder);
        var composePath = Path.Combine(outputFolder, ComposeWriter.FileName);
        var toRoot = Path.GetRelativePath(outputFolder, repository.Root).Replace('\\', '/');
        File.WriteAllText(composePath, ComposeWriter.Write(model, toRoot));
        var written = new List<string> { composePath };
        var statePath = Path.Combine(outputFolder, KubernetesOptions.StateFileName);
        File.WriteAllText(statePath, options.ToJson());
        written.Add(statePath);
        var files = KustomizeWriter.Write(app).Concat(ChartWriter.Write(app)).ToList();
        RemoveStaleFiles(outputFolder, files.Select(file => file.Key).ToHashSet(StringComparer.Ordinal));
        foreach (var (relativePath, content) in files)
        {
            var path = Path.Combine(outputFolder, relativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            written.Add(path);
        }

        return written;
    }

    /// <summary>
    /// Deletes generated files this generation does not write (a workload, an option or a template that is gone), so
    /// the output is exactly what the model gives: the chart folder entirely, and YAML in the Kustomize folders.
    /// Secret files, <c>.deploy/</c> and anything else of the operator's stay.
    /// </summary>
    private static void RemoveStaleFiles(string outputFolder, HashSet<string> generated)
    {
        var chart = Path.Combine(outputFolder, ChartWriter.Folder);
        var candidates = Directory.EnumerateFiles(outputFolder, "*.yaml", SearchOption.AllDirectories)
            .Concat(Directory.Exists(chart) ? Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories) : []);
        foreach (var file in candidates.Distinct(StringComparer.Ordinal).ToList())
        {
            var relative = Path.GetRelativePath(outputFolder, file).Replace('\\', '/');
            if (!generated.Contains(relative) && relative != ComposeWriter.FileName && !relative.StartsWith(DeployCommands.ApplyFolder + "/", StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
    }
}
