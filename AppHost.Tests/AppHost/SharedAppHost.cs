namespace Phase4.Tests.AppHost;

/// <summary>
/// Every test that needs the whole AppHost shares one started instance (the AppHost tests and the browser tests):
/// two at once would compete for this machine's two cores and both run the frontend's npm install.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedAppHost : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
