using Microsoft.Playwright;

namespace Phase4.Tests.E2E;

/// <summary>
/// Debian's Chromium (<c>apt-get install chromium</c>) driven by Playwright, headless, one per test class. Playwright
/// never downloads a browser here: it is told where the installed one is.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    // Without the background-networking flags Chromium keeps calling Google's hosts, which this network refuses.
    private static readonly string[] Flags =
    [
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: install Debian's Chromium (apt-get install -y chromium). These tests never download a browser.");
        }

        // A chat turn on a loaded CI machine can take longer than Playwright's 5 s default for an assertion.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Running as root (CI, containers) Chromium refuses to start with its sandbox.
            ChromiumSandbox = false,
            Args = Flags,
        });
    }

    /// <summary>A fresh browser profile (no cookies, no storage) showing the app at <paramref name="baseUrl"/>.</summary>
    public async Task<IPage> OpenAsync(Uri baseUrl, Screen screen)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = screen.Width, Height = screen.Height },
            IsMobile = screen.IsPhone,
            HasTouch = screen.IsPhone,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The screen sizes the app is checked at.</summary>
public sealed record Screen(string Name, int Width, int Height, bool IsPhone)
{
    public static readonly Screen Desktop = new("desktop", 1366, 860, IsPhone: false);

    public static readonly Screen Phone = new("phone", 390, 844, IsPhone: true);
}
