using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Tests.Deploy;

/// <summary>The committed Kustomize files are exactly what the AppHost model generates now (CI fails when stale).</summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class KubernetesOutputTests(RenderedKubernetesFixture rendered)
{
    private static readonly string Output = PublishedAppHostModel.Repository.DefaultOutputFolder;

    [Fact]
    public void The_committed_Kustomize_files_are_what_the_AppHost_model_generates_now()
    {
        var generated = KustomizeWriter.Write(rendered.App);
        foreach (var (path, content) in generated)
        {
            var committed = Path.Combine(Output, path);
            Assert.True(File.Exists(committed) && File.ReadAllText(committed) == content,
                $"aspirate-output/{path} is missing or stale: run `dotnet run --project Publisher -- generate` and commit the result.");
        }

        var folders = generated.Keys.Where(path => path.Contains('/', StringComparison.Ordinal)).Select(path => path[..path.IndexOf('/', StringComparison.Ordinal)]).ToHashSet();
        var leftovers = Directory.EnumerateFiles(Output, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Output, file).Replace('\\', '/'))
            .Where(path => path.Contains('/', StringComparison.Ordinal) && folders.Contains(path[..path.IndexOf('/', StringComparison.Ordinal)]))
            .Where(path => !generated.ContainsKey(path));
        Assert.Empty(leftovers);
    }

    [Fact]
    public void Secret_files_are_git_ignored_and_referenced_by_the_generators()
    {
        var ignored = File.ReadAllLines(Path.Combine(PublishedAppHostModel.Repository.Root, ".gitignore"));
        Assert.Contains("*.secrets", ignored);
        foreach (var path in SecretFiles.Paths(rendered.App))
        {
            var folder = path[..path.IndexOf('/', StringComparison.Ordinal)];
            Assert.Contains(Path.GetFileName(path), File.ReadAllText(Path.Combine(Output, folder, "kustomization.yaml")), StringComparison.Ordinal);
        }
    }
}
