using Phase4.Publisher.Kubernetes;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Output generated now (not committed) with <c>--include-dashboard --ai-provider openai</c> and a model endpoint
/// inside the cluster on its own port, rendered like the committed output.
/// </summary>
public sealed class DashboardRenderedFixture() : RenderedKubernetesFixture(Options)
{
    public const string ModelEndpoint = "http://ollama.models.svc.cluster.local:11434/v1";

    public const int ModelPort = 11434;

    public const string ModelName = "llama3.1";

    internal static KubernetesOptions Options { get; } = new(IncludeDashboard: true, KubernetesOptions.OpenAIProvider, ModelEndpoint, ModelName);
}

/// <summary>Tests of the output generated with the dashboard and the openai provider (one rendering for all).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardRenderedGroup : ICollectionFixture<DashboardRenderedFixture>
{
    public const string Name = "Kubernetes with the dashboard";
}
