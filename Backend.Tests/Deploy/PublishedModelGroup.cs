namespace Phase4.Tests.Deploy;

/// <summary>Tests that share one published AppHost model (publishing runs the AppHost, ~10 s).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedModelGroup : ICollectionFixture<GeneratedComposeFixture>
{
    public const string Name = "Publisher";
}
