using k8s;
using k8s.Models;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Tests.Deploy;

/// <summary>aspirate-output/Chart: lints, renders the base's objects, and takes existing Secrets instead of values.</summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class HelmChartTests(RenderedKubernetesFixture rendered)
{
    private static readonly string Output = PublishedAppHostModel.Repository.DefaultOutputFolder;

    [Fact]
    public void The_committed_chart_is_what_the_AppHost_model_generates_now()
    {
        foreach (var (path, content) in ChartWriter.Write(rendered.App))
        {
            var committed = Path.Combine(Output, path);
            Assert.True(File.Exists(committed) && File.ReadAllText(committed) == content,
                $"aspirate-output/{path} is missing or stale: run `dotnet run --project Publisher -- generate` and commit the result.");
        }
    }

    [Fact]
    public void Helm_lint_passes_strictly()
    {
        Assert.Contains("0 chart(s) failed", rendered.HelmLintOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chart_renders_the_same_objects_as_the_Kustomize_base()
    {
        static IEnumerable<string> Identities(IEnumerable<object> objects) => objects.OfType<IKubernetesObject<V1ObjectMeta>>()
            .Where(item => item is not V1Namespace)
            // Kustomize suffixes generated ConfigMaps and Secrets with a content hash.
            .Select(item => $"{item.Kind}/{System.Text.RegularExpressions.Regex.Replace(item.Metadata.Name, "-[a-z0-9]{10}$", "")}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(Identities(rendered.Objects(RenderedKubernetesFixture.Base)), Identities(rendered.Objects(RenderedKubernetesFixture.Helm)));
    }

    [Fact]
    public void With_existingSecret_the_chart_renders_no_Secret_and_the_pods_use_the_named_one()
    {
        Assert.Empty(rendered.HelmWithExistingSecrets.OfType<V1Secret>());
        var backend = rendered.HelmWithExistingSecrets.OfType<V1Deployment>().Single(d => d.Metadata.Name == "backend");
        Assert.Contains(backend.Spec.Template.Container().EnvFrom, source => source.SecretRef?.Name == "backend-existing");
        Assert.Single(rendered.HelmWithExistingSecrets.OfType<V1Ingress>());
    }
}
