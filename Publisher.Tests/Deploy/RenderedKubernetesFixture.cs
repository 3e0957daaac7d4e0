using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using k8s;
using k8s.Models;

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

    /// <summary>The object named <paramref name="name"/> in the base (the chart prefixes it with the release's name).</summary>
    public T Named<T>(string variant, string name)
        where T : IMetadata<V1ObjectMeta> => Exact<T>(variant, NameOf(variant, name));

    /// <summary>The object named exactly <paramref name="name"/> (a reference read from another object).</summary>
    public T Exact<T>(string variant, string name)
        where T : IMetadata<V1ObjectMeta> => All<T>(variant).Single(item => item.Metadata.Name == name);

    /// <summary>An object's name in <paramref name="variant"/>: the base's, or the chart's <c>&lt;release&gt;-&lt;name&gt;</c>.</summary>
    public static string NameOf(string variant, string name) => variant == Helm ? $"{HelmRelease}-{name}" : name;

    /// <summary>The release the chart is rendered as; it holds the chart's name, so objects are <c>phase4-&lt;name&gt;</c>.</summary>
    public const string HelmRelease = "phase4";

    /// <summary>The image tag the chart is rendered with (the chart refuses its placeholder).</summary>
    public const string HelmImageTag = "0123abcd";

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
                _rendered[variant] = CustomResources.Parse(yaml);
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
        var valuesFile = Path.Combine(folder, ".secret-values.yaml");
        await File.WriteAllTextAsync(valuesFile, SecretValues(App, values));
        string[] chart = [HelmRelease, "./" + ChartWriter.Folder, "--namespace", App.Namespace, "--set", $"imageTag={HelmImageTag}"];
        HelmLintOutput = await KubernetesTools.HelmAsync(["lint", .. chart[1..], "--strict", "--values", valuesFile], folder);
        _rendered[Helm] = CustomResources.Parse(await KubernetesTools.HelmAsync(["template", .. chart, "--values", valuesFile], folder));

        var existing = App.Workloads.Where(w => w.SecretSettings.Count > 0).SelectMany(w => (string[])["--set", $"{w.Name}.existingSecret={w.Name}-existing"]);
        string[] settings = App.Workloads.Any(w => w.Name == "mcpserver")
            ? ["--set-string", $"mcpserver.settings.Mcp__AllowedOrigins={HelmAllowedOrigins.Replace(",", "\\,", StringComparison.Ordinal)}", "--set-string", $"mcpserver.settings.Logging__LogLevel__Default={HelmLogLevel}"]
            : [];
        var yaml = await KubernetesTools.HelmAsync(["template", .. chart, .. existing, .. settings, "--set", "ingress.enabled=true"], folder);
        HelmWithExistingSecrets = CustomResources.Parse(yaml);
    }

    /// <summary>A values file giving the chart every deployment input (<c>secrets.*</c>), so its rendering is deterministic.</summary>
    internal static string SecretValues(KubernetesApp app, IReadOnlyDictionary<string, string> values)
    {
        var secrets = new YamlMappingNode();
        foreach (var input in app.Inputs)
        {
            secrets.Add(ChartSecrets.ValueKey(input), new YamlScalarNode(values[input.VariableName]) { Style = ScalarStyle.DoubleQuoted });
        }

        var writer = new StringWriter();
        new YamlStream(new YamlDocument(new YamlMappingNode { { "secrets", secrets } })).Save(writer, assignAnchors: false);
        return writer.ToString();
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
