using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Phase4.Tests.AppHost;
using static Microsoft.Playwright.Assertions;

namespace Phase4.Tests.E2E;

[Collection(SharedAppHost.Name)]
public sealed partial class AssistantBrowserTests(AppHostFixture apphost, ChromiumBrowser chromium)
    : BrowserTestBase(apphost, chromium), IClassFixture<ChromiumBrowser>
{
    [Fact]
    public async Task A_chat_turn_that_adds_a_task_shows_its_tool_call_and_the_task_in_the_list()
    {
        var app = await OpenAsync(Screen.Desktop);
        await app.SignUpAsync(TodoAppPage.NewEmail());

        await app.SendAsync("Add a task to buy groceries");

        await Expect(app.Conversation.GetByText("Tools used: add_task")).ToBeVisibleAsync();
        // The assistant changed the tasks: the list refreshed without a reload.
        await Expect(app.Page.GetByRole(AriaRole.Checkbox, new() { NameRegex = GroceriesTitle() })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "4-chat");
        await CloseAsync(app);
    }

    [Fact]
    public async Task The_open_conversation_survives_a_reload_and_any_past_one_can_be_resumed()
    {
        var app = await OpenAsync(Screen.Desktop);
        await app.SignUpAsync(TodoAppPage.NewEmail());
        await app.SendAsync("Add a task to pay bills");

        await ReloadAsync(app);
        await Expect(app.Conversation.GetByText("Add a task to pay bills", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(app.Conversation.GetByText("Tools used: add_task")).ToBeVisibleAsync();

        await app.Button("New chat").ClickAsync();
        await Expect(app.Conversation.GetByText("Add a task to pay bills", new() { Exact = true })).ToHaveCountAsync(0);
        await app.SendAsync("What's pending?");

        await app.Button("Conversations").ClickAsync();
        var pastConversations = app.Page.GetByRole(AriaRole.Navigation, new() { Name = "Past conversations" });
        await Expect(pastConversations.GetByRole(AriaRole.Button)).ToHaveCountAsync(2);
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "5-conversations");
        await pastConversations.GetByRole(AriaRole.Button, new() { NameRegex = PayBillsTitle() }).ClickAsync();

        await Expect(app.Conversation.GetByText("Add a task to pay bills", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(app.Conversation.GetByText("What's pending?", new() { Exact = true })).ToHaveCountAsync(0);

        // The resumed conversation carries on where it was.
        await app.SendAsync("Show me all my tasks");
        await Expect(app.Conversation.GetByRole(AriaRole.Article).Last).ToContainTextAsync("Pay bills");
        await CloseAsync(app);
    }

    [Fact]
    public async Task The_MCP_panel_gives_a_URL_and_token_that_an_MCP_client_can_use_through_the_frontend()
    {
        var app = await OpenAsync(Screen.Desktop);
        await app.SignUpAsync(TodoAppPage.NewEmail());
        await app.AddTaskAsync("Water the plants");

        await app.Button("Connect an MCP client").ClickAsync();
        var dialog = app.Page.GetByRole(AriaRole.Dialog, new() { Name = "Connect an MCP client" });
        var tokenBox = dialog.GetByRole(AriaRole.Textbox, new() { Name = "Access token" });
        await Expect(tokenBox).ToHaveValueAsync(JwtShape());
        await Screenshots.SaveAsync(app.Page, Screen.Desktop, "6-mcp-client");
        var url = await dialog.GetByRole(AriaRole.Textbox, new() { Name = "Server URL" }).InputValueAsync();
        var token = await tokenBox.InputValueAsync();
        await app.Page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await CloseAsync(app);

        Assert.Equal(new Uri(await FrontendAsync(), "/mcp"), new Uri(url));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var initialized = await PostMcpAsync(http, url, token,
            """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"e2e","version":"1.0"}}}""");
        Assert.Equal(HttpStatusCode.OK, initialized.StatusCode);
        using var listed = await PostMcpAsync(http, url, token,
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}""");
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("Water the plants", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostMcpAsync(HttpClient http, string url, string token, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("MCP-Protocol-Version", "2025-06-18");
        return await http.SendAsync(request);
    }

    [GeneratedRegex("buy groceries", RegexOptions.IgnoreCase)]
    private static partial Regex GroceriesTitle();

    [GeneratedRegex("pay bills", RegexOptions.IgnoreCase)]
    private static partial Regex PayBillsTitle();

    [GeneratedRegex(@"^[\w-]+\.[\w-]+\.[\w-]+$")]
    private static partial Regex JwtShape();
}
