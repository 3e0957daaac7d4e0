using System.Net;
using Aspire.Hosting.Testing;

namespace Phase4.Tests.AppHost;

public sealed class AppHostTests : IClassFixture<AppHostFixture>
{
    private readonly AppHostFixture _apphost;

    public AppHostTests(AppHostFixture apphost) => _apphost = apphost;

    [Theory]
    [InlineData("backend", "/health")]
    [InlineData("mcpserver", "/alive")]
    public async Task Each_service_started_by_the_AppHost_answers_its_probe(string resource, string probe)
    {
        using var client = _apphost.App.CreateHttpClient(resource);

        using var response = await client.GetAsync(new Uri(probe, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Local_postgres_keeps_its_data_in_the_configured_directory() =>
        Assert.True(File.Exists(Path.Combine(_apphost.PostgresDataDirectory, "PG_VERSION")),
            $"initdb did not run in {_apphost.PostgresDataDirectory}");
}
