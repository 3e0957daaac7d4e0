using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using Phase4.Tests.Api.Support;

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
    public async Task A_builtin_chat_turn_reaches_the_mcpserver_through_service_discovery()
    {
        using (var ready = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
        {
            await _apphost.App.ResourceNotifications.WaitForResourceHealthyAsync("mcpserver", ready.Token);
        }

        using var user = await TestUser.CreateAsync(_apphost.App.GetEndpoint("backend", "http"));

        using var response = await user.Client.PostAsJsonAsync($"/api/{user.Id:D}/chat", new { message = "Add a task to buy groceries" });

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("add_task", (string)body["tool_calls"]![0]!["name"]!);
        Assert.Equal("Buy groceries", (string)Assert.Single((await user.Client.GetFromJsonAsync<JsonArray>(user.Tasks))!)!["title"]!);
    }

    [Fact]
    public void Local_postgres_keeps_its_data_in_the_configured_directory() =>
        Assert.True(File.Exists(Path.Combine(_apphost.PostgresDataDirectory, "PG_VERSION")),
            $"initdb did not run in {_apphost.PostgresDataDirectory}");
}
