using Microsoft.Playwright;
using Phase4.Tests.AppHost;
using static Microsoft.Playwright.Assertions;

namespace Phase4.Tests.E2E;

[Collection(SharedAppHost.Name)]
public sealed class TaskListBrowserTests(AppHostFixture apphost, ChromiumBrowser chromium)
    : BrowserTestBase(apphost, chromium), IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_new_user_signs_up_then_adds_edits_completes_filters_and_deletes_tasks()
    {
        var app = await OpenAsync(Screen.Desktop);
        await app.Page.GotoAsync("/");
        await Expect(app.Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "1-sign-in");

        await app.SignUpAsync(TodoAppPage.NewEmail());
        await Expect(app.Page.GetByText("No tasks yet")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "2-empty-list");

        await app.AddTaskAsync("Buy groceries");
        await app.AddTaskAsync("Pay bills");
        await app.AddTaskAsync("Call mom");

        await app.Button("Edit Call mom").ClickAsync();
        await app.Page.GetByLabel("Title", new() { Exact = true }).FillAsync("Call mom tonight");
        await app.Page.GetByLabel("Title", new() { Exact = true }).PressAsync("Enter");
        await Expect(app.Checkbox("Call mom tonight")).ToBeVisibleAsync();
        await Expect(app.Checkbox("Call mom")).ToHaveCountAsync(0);

        await app.Checkbox("Pay bills").CheckAsync();
        await Expect(app.Checkbox("Pay bills")).ToBeCheckedAsync();

        await app.ShowAsync("Pending");
        await Expect(app.Checkbox("Pay bills")).ToHaveCountAsync(0);
        await Expect(app.Checkbox("Buy groceries")).ToBeVisibleAsync();
        await app.ShowAsync("Completed");
        await Expect(app.Checkbox("Pay bills")).ToBeCheckedAsync();
        await Expect(app.Checkbox("Buy groceries")).ToHaveCountAsync(0);
        await app.ShowAsync("All");

        await app.Button("Delete Buy groceries").ClickAsync();
        await Expect(app.Checkbox("Buy groceries")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "3-tasks");

        // Everything was stored, not just shown.
        await ReloadAsync(app);
        await Expect(app.Checkbox("Call mom tonight")).Not.ToBeCheckedAsync();
        await Expect(app.Checkbox("Pay bills")).ToBeCheckedAsync();
        await Expect(app.Checkbox("Buy groceries")).ToHaveCountAsync(0);
        await CloseAsync(app);
    }

    [Fact]
    public async Task A_title_that_is_too_long_is_explained_next_to_the_new_task_field()
    {
        var app = await OpenAsync(Screen.Desktop);
        await app.SignUpAsync(TodoAppPage.NewEmail());

        await app.NewTaskBox.FillAsync(new string('x', 201));
        await app.NewTaskBox.PressAsync("Enter");

        await Expect(app.NewTaskBox).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(app.Page.Locator("#new-task-title-error")).ToContainTextAsync("200");
        await CloseAsync(app);
    }

    [Fact]
    public async Task An_expired_session_returns_to_sign_in_and_keeps_the_task_being_typed()
    {
        var app = await OpenAsync(Screen.Desktop);
        var email = TodoAppPage.NewEmail();
        await app.SignUpAsync(email);
        await app.NewTaskBox.FillAsync("Remember the milk");

        // The session cookie is gone (expired, or cleared): the next call answers 401.
        await app.Page.Context.ClearCookiesAsync();
        await app.NewTaskBox.PressAsync("Enter");

        await Expect(app.Page.GetByText("Your session has ended")).ToBeVisibleAsync();
        await Expect(app.Page.GetByLabel("Email", new() { Exact = true })).ToHaveValueAsync(email);
        await app.Page.GetByLabel("Password", new() { Exact = true }).FillAsync(TodoAppPage.Password);
        await app.Page.GetByLabel("Password", new() { Exact = true }).PressAsync("Enter");

        await Expect(app.NewTaskBox).ToHaveValueAsync("Remember the milk");
        await app.NewTaskBox.PressAsync("Enter");
        await Expect(app.Checkbox("Remember the milk")).ToBeVisibleAsync();
        await CloseAsync(app);
    }

    [Fact]
    public async Task The_session_token_never_reaches_page_scripts_and_the_page_is_served_with_a_strict_policy()
    {
        var app = await OpenAsync(Screen.Desktop);
        var response = await app.Page.GotoAsync("/");
        await app.SignUpAsync(TodoAppPage.NewEmail());

        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("", await app.Page.EvaluateAsync<string>("document.cookie"));
        // The session and the device cookie (its own failure budget on the next sign-in), neither readable by scripts.
        var cookies = await app.Page.Context.CookiesAsync();
        Assert.Equal(["phase4_device", "phase4_session"], cookies.Select(cookie => cookie.Name).Order());
        Assert.All(cookies, cookie =>
        {
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        });
        await CloseAsync(app);
    }
}
