using k8s;
using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;

namespace Phase4.Tests.Deploy;

/// <summary>
/// A throw-away repository for an AppHost that is not Phase4's: a solution file and one Dockerfile per project folder
/// (with the given <c>USER</c> line), so the publisher can model a synthetic manifest and render it as it would ours.
/// </summary>
internal sealed class SyntheticRepository : IDisposable
{
    private readonly DirectoryInfo _folder;

    public SyntheticRepository(string prefix, params (string Folder, string DockerfileUser)[] projects)
    {
        _folder = Directory.CreateTempSubdirectory(prefix);
        File.WriteAllText(Path.Combine(_folder.FullName, RepositoryLayout.SolutionFile), "");
        foreach (var (folder, user) in projects)
        {
            Directory.CreateDirectory(Path.Combine(_folder.FullName, folder));
            File.WriteAllText(Path.Combine(_folder.FullName, folder, "Dockerfile"), $"FROM scratch\n{user}\n");
        }
    }

    public RepositoryLayout Layout => new(_folder.FullName);

    /// <summary>The publisher's model of <paramref name="manifest"/> (the AppHost's manifest JSON).</summary>
    public DeploymentModel Model(string manifest)
    {
        var path = Path.Combine(_folder.FullName, "manifest.json");
        File.WriteAllText(path, manifest);
        return ModelBuilder.Build(ManifestReader.Read(path), Layout);
    }

    /// <summary>The Kustomize base written for <paramref name="app"/>, with fresh secrets, rendered by kubectl.</summary>
    public async Task<IReadOnlyList<object>> RenderAsync(KubernetesApp app)
    {
        var output = Path.Combine(_folder.FullName, "out");
        foreach (var (path, content) in KustomizeWriter.Write(app))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(output, path))!);
            await File.WriteAllTextAsync(Path.Combine(output, path), content);
        }

        SecretFiles.Write(app, output, InputValues.CreateMissing(app.Inputs, new Dictionary<string, string>(), _ => null));
        return KubernetesYaml.LoadAllFromString(await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], output), null, strict: true);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
