namespace Phase4.Tests.Deploy;

/// <summary>Tests that share one published AppHost model (publishing runs the AppHost, ~10 s).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedModelGroup : ICollectionFixture<GeneratedComposeFixture>
{
    public const string Name = "Publisher";
}

/// <summary>Tests of the rendered Kubernetes objects (one rendering of the base and overlays for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class RenderedKubernetesGroup : ICollectionFixture<RenderedKubernetesFixture>
{
    public const string Name = "Kubernetes";
}
