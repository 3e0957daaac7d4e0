namespace Phase4.Tests.Api.Support;

/// <summary>
/// The API tests share one Backend.Api process over one PostgreSQL. The fixture is in TestSupport; this definition stays
/// here because xunit looks for collection definitions only in the assembly of the tests that name them.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedBackend : ICollectionFixture<BackendFixture>
{
    public const string Name = "Backend.Api over real HTTP and PostgreSQL";
}
