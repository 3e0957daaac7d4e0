using Aspire.Hosting;
using Aspire.Hosting.Testing;
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
        await App.ResourceNotifications.WaitForResourceHealthyAsync("frontend", timeout.Token);
        return App.GetEndpoint("frontend", "http");
    }

    internal async Task<TodoAppPage> OpenAsync(Screen screen) =>
        new(await chromium.OpenAsync(await FrontendAsync(), screen));

    internal static async Task CloseAsync(TodoAppPage app) => await app.Page.Context.CloseAsync();

    internal static Task<IResponse?> ReloadAsync(TodoAppPage app) => app.Page.ReloadAsync();
}
