using System.Text;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Phase4.Tests.AppHost;

namespace Phase4.Tests.E2E;

/// <summary>
/// End-to-end tests share the one AppHost of the AppHost collection (backend, MCP server, frontend, local PostgreSQL)
/// and drive it through the frontend's public origin, as a person in a browser does.
/// </summary>
public abstract class BrowserTestBase(AppHostFixture apphost, ChromiumBrowser chromium)
{
    // The first start runs npm ci and the build in frontend-build before the server starts.
    private static readonly TimeSpan FrontendStartTimeout = TimeSpan.FromMinutes(5);

    protected DistributedApplication App => apphost.App;

    protected async Task<Uri> FrontendAsync()
    {
        using var timeout = new CancellationTokenSource(FrontendStartTimeout);
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync("frontend", timeout.Token);
        }
        catch (Exception e) when (e is DistributedApplicationException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"The frontend did not become healthy: {e.Message}\n{await RecentLogsAsync("frontend-build")}{await RecentLogsAsync("frontend")}", e);
        }

        return App.GetEndpoint("frontend", "http");
    }

    internal async Task<TodoAppPage> OpenAsync(Screen screen) =>
        new(await chromium.OpenAsync(await FrontendAsync(), screen));

    internal static async Task CloseAsync(TodoAppPage app) => await app.Page.Context.CloseAsync();

    internal static Task<IResponse?> ReloadAsync(TodoAppPage app) => app.Page.ReloadAsync();

    /// <summary>What a resource has logged so far, so a failed start explains itself (npm's output, say).</summary>
    private async Task<string> RecentLogsAsync(string resource)
    {
        var text = new StringBuilder($"--- {resource} ---\n");
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in App.Services.GetRequiredService<ResourceLoggerService>().WatchAsync(resource).WithCancellation(enough.Token))
            {
                foreach (var line in batch.TakeLast(60))
                {
                    text.AppendLine(line.Content);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The log stream stays open for new lines: two seconds of backlog is all there is to read.
        }

        return text.ToString();
    }
}
