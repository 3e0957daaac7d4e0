using Phase4.Publisher.Compose;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher;

/// <summary>The publisher's operations, shared by the command line and the tests.</summary>
internal static class Generation
{
    /// <summary>The model from <paramref name="manifestPath"/>, or from a fresh manifest of the AppHost.</summary>
    public static async Task<DeploymentModel> LoadModelAsync(RepositoryLayout repository, string? manifestPath, AppHostBuild build, CancellationToken cancellationToken)
    {
        if (manifestPath is not null)
        {
            return ModelBuilder.Build(ManifestReader.Read(manifestPath), repository);
        }

        var scratch = Directory.CreateTempSubdirectory("phase4-manifest-");
        try
        {
            var published = await AppHostManifest.PublishAsync(repository, scratch.FullName, build, cancellationToken);
            return ModelBuilder.Build(ManifestReader.Read(published), repository);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

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

    /// <summary>
    /// Adds values for the inputs <c>.env</c> lacks; existing values are never replaced. Refuses (and writes nothing)
    /// when a value it would create belongs to a workload whose Compose volume already exists: that database was
    /// initialised with the lost value.
    /// </summary>
    public static IReadOnlyCollection<string> CreateSecrets(DeploymentModel model, string outputFolder, IReadOnlySet<string> existingVolumes)
    {
        Directory.CreateDirectory(outputFolder);
        var path = Path.Combine(outputFolder, DotEnvFile.FileName);
        var created = InputValues.CreateMissing(model.Inputs, DotEnvFile.Read(path), Environment.GetEnvironmentVariable);
        var atRisk = ComposeVolumes.AtRisk(model, outputFolder, created.Keys.ToList(), existingVolumes);
        if (atRisk.Count > 0)
        {
            throw new InvalidOperationException(
                $"The volume {string.Join(", ", atRisk)} already holds data created with secrets {path} no longer has. " +
                "Restore that .env file, or delete the data (docker-compose down --volumes) to start empty; nothing was written.");
        }

        if (created.Count > 0)
        {
            DotEnvFile.Append(path, created);
        }

        return created.Keys.ToList();
    }
}
