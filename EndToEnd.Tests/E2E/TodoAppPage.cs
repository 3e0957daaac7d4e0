using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Phase4.Tests.E2E;

/// <summary>What a person does in the app, in the words the page shows (roles and accessible names).</summary>
internal sealed class TodoAppPage(IPage page)
{
    public const string Password = "a long enough passphrase";

    public IPage Page => page;

    public static string NewEmail() => $"e2e-{Guid.NewGuid():N}@example.com";

    public ILocator Checkbox(string title) => page.GetByRole(AriaRole.Checkbox, new() { Name = title, Exact = true });

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public ILocator NewTaskBox => page.GetByLabel("New task", new() { Exact = true });

    public ILocator MessageBox => page.GetByLabel("Message the assistant", new() { Exact = true });

    public ILocator Conversation => page.GetByRole(AriaRole.Log, new() { Name = "Conversation with the assistant" });

    public async Task SignUpAsync(string email)
    {
        await page.GotoAsync("/");
        await Button("Create an account").ClickAsync();
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await Button("Create account").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your tasks" })).ToBeVisibleAsync();
    }

    public async Task AddTaskAsync(string title)
    {
        await NewTaskBox.FillAsync(title);
        await NewTaskBox.PressAsync("Enter");
        await Expect(Checkbox(title)).ToBeVisibleAsync();
        await Expect(NewTaskBox).ToHaveValueAsync("");
    }

    public async Task ShowAsync(string filter)
    {
        await page.GetByRole(AriaRole.Radio, new() { Name = filter, Exact = true }).CheckAsync();
        await Expect(page.GetByRole(AriaRole.List, new() { Name = $"{filter} tasks" }).Or(page.GetByText(EmptyMessage(filter))))
            .ToBeVisibleAsync();
    }

    public async Task SendAsync(string message)
    {
        await MessageBox.FillAsync(message);
        await MessageBox.PressAsync("Enter");
        await Expect(Conversation.GetByText(message, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByText("The assistant is working…")).ToBeHiddenAsync();
    }

    /// <summary>The signed-in user's id, as the page learns it (the session, never the token).</summary>
    public async Task<string> UserIdAsync()
    {
        var response = await page.APIRequest.GetAsync("/session");
        using var session = JsonDocument.Parse(await response.TextAsync());
        return session.RootElement.GetProperty("user_id").GetString()!;
    }

    private static string EmptyMessage(string filter) => filter switch
    {
        "Pending" => "Nothing pending",
        "Completed" => "No completed tasks yet",
        _ => "No tasks yet",
    };
}
