using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Phase4.AppHost.DemoData;

namespace Phase4.Tests.AppHost;

/// <summary>The backend's dashboard commands, invoked as the dashboard does (ResourceCommandService) on the started AppHost.</summary>
[Collection(SharedAppHost.Name)]
public sealed partial class DemoDataCommandTests(AppHostFixture apphost)
{
    [Fact]
    public async Task Seed_demo_tasks_signs_up_the_demo_account_adds_its_tasks_once_and_reports_a_working_sign_in()
    {
        var seeded = await RunAsync(DemoDataCommands.SeedCommand);
        var again = await RunAsync(DemoDataCommands.SeedCommand);

        using var demo = await SignInAsync(seeded);
        var tasks = await demo.TasksAsync();
        Assert.Equal(DemoTasks.All.Select(task => (task.Title, task.Completed)).Order(), tasks.Select(task => (task.Title, task.Completed)).Order());
        Assert.Equal("0 demo task(s) created for demo@example.com.", again.Message);
        Assert.Contains(apphost.App.GetEndpoint("frontend", "http").ToString().TrimEnd('/'), seeded.Data!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_demo_tasks_replaces_whatever_the_demo_account_holds_with_the_demo_tasks()
    {
        using var demo = await SignInAsync(await RunAsync(DemoDataCommands.SeedCommand));
        var first = (await demo.TasksAsync()).First(task => task.Title == DemoTasks.All[0].Title);
        using (var deleted = await demo.Client.DeleteAsync($"{demo.Tasks}/{first.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using (var added = await demo.Client.PostAsJsonAsync(demo.Tasks, new { title = "Not part of the demo" }))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var reset = await RunAsync(DemoDataCommands.ResetCommand);

        Assert.Equal($"{DemoTasks.All.Count} demo task(s) created for demo@example.com.", reset.Message);
        Assert.Equal(DemoTasks.All.Select(task => task.Title).Order(), (await demo.TasksAsync()).Select(task => task.Title).Order());
    }

    private async Task<ExecuteCommandResult> RunAsync(string command)
    {
        // A second seed's sign-up is refused by the unique e-mail index, which the backend and PostgreSQL log as errors:
        // waiting for the clean start to end keeps them out of what CleanStartTests checks. (Without the browser
        // tests in this collection, these tests can otherwise run while the frontend is still being built.)
        await apphost.StartEntries;
        var backend = apphost.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == "backend");
        var result = await apphost.App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(backend, command);
        Assert.True(result.Success, result.Message);
        return result;
    }

    /// <summary>Signs in with the email and password the command reported, as a person reading the dashboard would.</summary>
    private async Task<DemoSession> SignInAsync(ExecuteCommandResult reported)
    {
        var text = reported.Data?.Value ?? "";
        var email = EmailLine().Match(text).Groups[1].Value;
        var password = PasswordLine().Match(text).Groups[1].Value;
        var client = apphost.App.CreateHttpClient("backend");
        using var login = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, $"The reported sign-in ({email}) failed: {login.StatusCode}");
        var session = await login.Content.ReadFromJsonAsync<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("access_token").GetString());
        return new DemoSession(client, $"/api/{session.GetProperty("user_id").GetString()}/tasks");
    }

    [GeneratedRegex("email: `([^`]+)`")]
    private static partial Regex EmailLine();

    [GeneratedRegex("password: `([^`]+)`")]
    private static partial Regex PasswordLine();

    private sealed record DemoSession(HttpClient Client, string Tasks) : IDisposable
    {
        public async Task<List<(int Id, string Title, bool Completed)>> TasksAsync()
        {
            var tasks = await Client.GetFromJsonAsync<JsonElement>($"{Tasks}?limit=200");
            return [.. tasks.EnumerateArray().Select(task =>
                (task.GetProperty("id").GetInt32(), task.GetProperty("title").GetString()!, task.GetProperty("completed").GetBoolean()))];
        }

        public void Dispose() => Client.Dispose();
    }
}
