using k8s;
using k8s.Models;
using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The committed aspirate-output/ rendered by kubectl 1.35's Kustomize (the base and every overlay) and parsed
/// strictly into typed Kubernetes objects: an unknown or misspelt field fails here, as the API server would.
/// Rendering needs the git-ignored secret files, so they are written, with fresh values, in a scratch copy.
/// A subclass may render output generated now with other options (the dashboard, the openai provider) instead.
/// </summary>
public class RenderedKubernetesFixture : IAsyncLifetime
{
    private readonly KubernetesOptions? _generatedWith;

    public RenderedKubernetesFixture()
        : this(generatedWith: null)
    {
    }

    /// <param name="generatedWith">Options to generate the output with into the scratch folder; null renders the committed output.</param>
    internal RenderedKubernetesFixture(KubernetesOptions? generatedWith) => _generatedWith = generatedWith;

    public const string Base = "base";

    /// <summary>The Helm chart rendered with secret values (its other defaults are the base's).</summary>
    public const string Helm = "helm";

    private readonly Dictionary<string, IReadOnlyList<object>> _rendered = new(StringComparer.Ordinal);

    public static IEnumerable<string> Variants => [Base, .. KustomizeWriter.Overlays, Helm];

    /// <summary>Chart values <see cref="HelmWithExistingSecrets"/> sets for the MCP server's settings.</summary>
    public const string HelmAllowedOrigins = "https://phase4.example.org,http://localhost:6274";

    public const string HelmLogLevel = "Warning";

    /// <summary>
    /// <c>helm template</c> with every workload's <c>existingSecret</c> set (no secret values given), the Ingress on,
    /// and the MCP server's allowed origins and log level from values.
    /// </summary>
    public IReadOnlyList<object> HelmWithExistingSecrets { get; private set; } = [];

    public string HelmLintOutput { get; private set; } = "";

    internal KubernetesApp App { get; private set; } = null!;

    public IReadOnlyList<object> Objects(string variant) => _rendered[variant];

    public IEnumerable<T> All<T>(string variant) => Objects(variant).OfType<T>();

    public T Named<T>(string variant, string name)
        where T : IMetadata<V1ObjectMeta> => All<T>(variant).Single(item => item.Metadata.Name == name);

    public async Task InitializeAsync()
    {
        var model = await PublishedAppHostModel.LoadAsync();
        App = KubernetesApp.From(model, PublishedAppHostModel.Repository, _generatedWith ?? KubernetesOptions.Default);
        var scratch = Directory.CreateTempSubdirectory("phase4-kustomize-");
        try
        {
            if (_generatedWith is null)
            {
                CopyFolder(PublishedAppHostModel.Repository.DefaultOutputFolder, scratch.FullName);
            }
            else
            {
                Generation.Generate(model, PublishedAppHostModel.Repository, scratch.FullName, _generatedWith);
            }

            var values = InputValues.CreateMissing(App.Inputs, new Dictionary<string, string>(), _ => null);
            SecretFiles.Write(App, scratch.FullName, values);
            foreach (var variant in Variants.Where(v => v != Helm))
            {
                var folder = variant == Base ? scratch.FullName : Path.Combine(scratch.FullName, "overlays", variant);
                var yaml = await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], folder);
                _rendered[variant] = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
            }

            await RenderChartAsync(scratch.FullName, values);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task RenderChartAsync(string folder, IReadOnlyDictionary<string, string> values)
    {
        var helmHome = Path.Combine(folder, ".helm");
        var environment = new Dictionary<string, string>
        {
            ["HELM_CACHE_HOME"] = Path.Combine(helmHome, "cache"),
            ["HELM_CONFIG_HOME"] = Path.Combine(helmHome, "config"),
            ["HELM_DATA_HOME"] = Path.Combine(helmHome, "data"),
        };
        var secretValues = new YamlMappingNode();
        foreach (var workload in App.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            var secrets = new YamlMappingNode();
            foreach (var (key, value) in SecretFiles.Settings(workload, values))
            {
                secrets.Add(key, new YamlScalarNode(value) { Style = ScalarStyle.DoubleQuoted });
            }

            secretValues.Add(workload.Name, new YamlMappingNode { { "secrets", secrets } });
        }

        var valuesFile = Path.Combine(folder, ".secret-values.yaml");
        await using (var writer = File.CreateText(valuesFile))
        {
            new YamlStream(new YamlDocument(secretValues)).Save(writer, assignAnchors: false);
        }

        string[] chart = ["./" + ChartWriter.Folder, "--namespace", KubernetesApp.Namespace];
        HelmLintOutput = await KubernetesTools.RunAsync(KubernetesTools.Helm, ["lint", .. chart, "--strict", "--values", valuesFile], folder, environment);
        var yaml = await KubernetesTools.RunAsync(KubernetesTools.Helm, ["template", "phase4", .. chart, "--values", valuesFile], folder, environment);
        _rendered[Helm] = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);

        var existing = App.Workloads.Where(w => w.SecretSettings.Count > 0).SelectMany(w => (string[])["--set", $"{w.Name}.existingSecret={w.Name}-existing"]);
        string[] settings = App.Workloads.Any(w => w.Name == "mcpserver")
            ? ["--set-string", $"mcpserver.settings.Mcp__AllowedOrigins={HelmAllowedOrigins.Replace(",", "\\,", StringComparison.Ordinal)}", "--set-string", $"mcpserver.settings.Logging__LogLevel__Default={HelmLogLevel}"]
            : [];
        yaml = await KubernetesTools.RunAsync(KubernetesTools.Helm, ["template", "phase4", .. chart, .. existing, .. settings, "--set", "ingress.enabled=true"], folder, environment);
        HelmWithExistingSecrets = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
    }

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
