using k8s;
using k8s.Models;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The committed aspirate-output/ rendered by kubectl 1.35's Kustomize (the base and every overlay) and parsed
/// strictly into typed Kubernetes objects: an unknown or misspelt field fails here, as the API server would.
/// Rendering needs the git-ignored secret files, so they are written, with fresh values, in a scratch copy.
/// </summary>
public sealed class RenderedKubernetesFixture : IAsyncLifetime
{
    public const string Base = "base";

    private readonly Dictionary<string, IReadOnlyList<object>> _rendered = new(StringComparer.Ordinal);

    public static IEnumerable<string> Variants => [Base, .. KustomizeWriter.Overlays];

    internal KubernetesApp App { get; private set; } = null!;

    public IReadOnlyList<object> Objects(string variant) => _rendered[variant];

    public IEnumerable<T> All<T>(string variant) => Objects(variant).OfType<T>();

    public T Named<T>(string variant, string name)
        where T : IMetadata<V1ObjectMeta> => All<T>(variant).Single(item => item.Metadata.Name == name);

    public async Task InitializeAsync()
    {
        var model = await PublishedAppHostModel.LoadAsync();
        App = KubernetesApp.From(model, PublishedAppHostModel.Repository);
        var scratch = Directory.CreateTempSubdirectory("phase4-kustomize-");
        try
        {
            CopyFolder(PublishedAppHostModel.Repository.DefaultOutputFolder, scratch.FullName);
            SecretFiles.Write(App, scratch.FullName, InputValues.CreateMissing(model.Inputs, new Dictionary<string, string>(), _ => null));
            foreach (var variant in Variants)
            {
                var folder = variant == Base ? scratch.FullName : Path.Combine(scratch.FullName, "overlays", variant);
                var yaml = await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], folder);
                _rendered[variant] = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static void CopyFolder(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            // Local secret files of a developer's deployment stay out of the copy: the test writes its own.
            if (!file.EndsWith(".secrets", StringComparison.Ordinal))
            {
                File.Copy(file, destination);
            }
        }
    }
}
