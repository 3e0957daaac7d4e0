using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;
using k8s;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Output generated now with <see cref="Options"/> into a scratch folder (deleted on dispose), with fresh secret files
/// so Kustomize can render it, and the app it was generated from.
/// </summary>
internal sealed class ScratchOutput : IDisposable
{
    private ScratchOutput(DirectoryInfo folder, KubernetesApp app)
    {
        Folder = folder;
        App = app;
    }

    public DirectoryInfo Folder { get; }

    public KubernetesApp App { get; }

    public KubernetesOptions Options => App.Options;

    public static async Task<ScratchOutput> GenerateAsync(KubernetesOptions options)
    {
        var model = await PublishedAppHostModel.LoadAsync();
        var folder = Directory.CreateTempSubdirectory("phase4-scratch-output-");
        Generation.Generate(model, PublishedAppHostModel.Repository, folder.FullName, options);
        var app = KubernetesApp.From(model, PublishedAppHostModel.Repository, options);
        SecretFiles.Write(app, folder.FullName, InputValues.CreateMissing(app.Inputs, new Dictionary<string, string>(), _ => null));
        return new ScratchOutput(folder, app);
    }

    /// <summary>The kustomization in <paramref name="relativeFolder"/> (the base: "."), rendered by kubectl kustomize.</summary>
    public Task<string> RenderAsync(string relativeFolder) =>
        KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], Path.Combine(Folder.FullName, relativeFolder));

    /// <summary>What <c>apply</c> would apply with <paramref name="settings"/>: its kustomization written and rendered.</summary>
    public async Task<IReadOnlyList<object>> RenderApplyAsync(ApplySettings settings)
    {
        var relative = Path.Combine(DeployCommands.ApplyFolder, settings.Overlay);
        var folder = Path.Combine(Folder.FullName, relative);
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.EnumerateFiles(folder))
        {
            File.Delete(stale);
        }

        foreach (var (name, content) in ApplyKustomization.Write(App, settings))
        {
            await File.WriteAllTextAsync(Path.Combine(folder, name), content);
        }

        return KubernetesYaml.LoadAllFromString(await RenderAsync(relative), typeMap: null, strict: true);
    }

    public void Dispose() => Folder.Delete(recursive: true);
}
