using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.AppHost;

[Collection(SharedAppHost.Name)]
public sealed class AppHostTests
{
    private readonly AppHostFixture _apphost;

    public AppHostTests(AppHostFixture apphost) => _apphost = apphost;

    [Theory]
    [InlineData("backend", "/health")]
    [InlineData("mcpserver", "/health")]
    public async Task Each_service_started_by_the_AppHost_answers_its_probe(string resource, string probe)
    {
        using var client = _apphost.App.CreateHttpClient(resource);

        using var response = await client.GetAsync(new Uri(probe, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_builtin_chat_turn_reaches_the_mcpserver_through_service_discovery()
    {
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

    [Fact]
    public async Task A_user_registers_logs_in_and_creates_and_lists_a_task_through_the_AppHost_started_backend()
    {
        using var client = _apphost.App.CreateHttpClient("backend");
        var credentials = new { email = $"apphost-{Guid.NewGuid():N}@example.com", password = "a long enough passphrase" };

        using var registered = await client.PostAsJsonAsync(new Uri("/api/auth/register", UriKind.Relative), credentials);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        using var loggedIn = await client.PostAsJsonAsync(new Uri("/api/auth/login", UriKind.Relative), credentials);
        Assert.Equal(HttpStatusCode.OK, loggedIn.StatusCode);
        var session = await loggedIn.Content.ReadFromJsonAsync<JsonElement>();
        var userId = session.GetProperty("user_id").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("access_token").GetString());

        var tasksUri = new Uri($"/api/{userId}/tasks", UriKind.Relative);
        using var created = await client.PostAsJsonAsync(tasksUri, new { title = "  Rehearse the demo  ", description = "through the AppHost" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var tasks = await client.GetFromJsonAsync<JsonElement>(tasksUri);
        var task = Assert.Single(tasks.EnumerateArray());
        Assert.Equal("Rehearse the demo", task.GetProperty("title").GetString());
        Assert.Equal("through the AppHost", task.GetProperty("description").GetString());
        Assert.False(task.GetProperty("completed").GetBoolean());
        Assert.Equal(userId, task.GetProperty("user_id").GetString());
    }
}
