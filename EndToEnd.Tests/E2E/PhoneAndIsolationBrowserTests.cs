using Microsoft.Playwright;
using Phase4.Tests.AppHost;
using static Microsoft.Playwright.Assertions;

namespace Phase4.Tests.E2E;

[Collection(SharedAppHost.Name)]
public sealed class PhoneAndIsolationBrowserTests(AppHostFixture apphost, ChromiumBrowser chromium)
    : BrowserTestBase(apphost, chromium), IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task On_a_phone_the_tasks_and_the_assistant_take_turns_on_the_screen()
    {
        var app = await OpenAsync(Screen.Phone);
        await app.Page.GotoAsync("/");
        await Screenshots.SaveAsync(app.Page, Screen.Phone, "1-sign-in");
        await app.SignUpAsync(TodoAppPage.NewEmail());
        await app.AddTaskAsync("Book the dentist");
        await app.AddTaskAsync("Renew the passport before the summer holidays start");
        await app.Checkbox("Book the dentist").CheckAsync();
        await Expect(app.MessageBox).ToBeHiddenAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Phone, "2-tasks");

        await app.Button("Assistant").ClickAsync();
        await Expect(app.NewTaskBox).ToBeHiddenAsync();
        await app.SendAsync("What's pending?");
        await Expect(app.Conversation.GetByText("Tools used: list_tasks")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Phone, "3-assistant");

        await app.Button("Connect an MCP client").ClickAsync();
        await Expect(app.Page.GetByRole(AriaRole.Textbox, new() { Name = "Access token" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Phone, "4-mcp-client");
        await app.Page.Keyboard.PressAsync("Escape");

        await app.Button("Tasks").ClickAsync();
        await Expect(app.Checkbox("Book the dentist")).ToBeCheckedAsync();
        await CloseAsync(app);
    }

    [Fact]
    public async Task A_second_user_sees_none_of_the_first_users_tasks_or_conversations()
    {
        var first = await OpenAsync(Screen.Desktop);
        await first.SignUpAsync(TodoAppPage.NewEmail());
        await first.AddTaskAsync("First user's private task");
        await first.SendAsync("Add a task to feed the cat");
        var firstUserId = await first.UserIdAsync();
        await CloseAsync(first);

        var second = await OpenAsync(Screen.Desktop);
        await second.SignUpAsync(TodoAppPage.NewEmail());

        await Expect(second.Page.GetByText("No tasks yet")).ToBeVisibleAsync();
        await Expect(second.Page.GetByText("First user's private task")).ToHaveCountAsync(0);
        await Expect(second.Conversation.GetByText("feed the cat")).ToHaveCountAsync(0);
        await second.Button("Conversations").ClickAsync();
        await Expect(second.Page.GetByText("No conversations yet")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(second.Page, Screen.Desktop, "7-second-user");

        // Not even by asking for the first user's data directly, with the second user's session.
        var theirTasks = await second.Page.APIRequest.GetAsync($"/api/{firstUserId}/tasks");
        Assert.Equal(403, theirTasks.Status);
        var theirConversations = await second.Page.APIRequest.GetAsync($"/api/{firstUserId}/conversations");
        Assert.Equal(403, theirConversations.Status);
        await CloseAsync(second);
    }
}
