using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Frontend;

/// <summary>
/// The frontend in front of the real backend: whatever spelling of the sign-in route a client sends (letter case,
/// trailing or doubled slashes, percent-encoding, dot segments, look-alike letters), the access token never comes back
/// in a body. Either the frontend's own sign-in takes it (the token goes into the cookie), or it goes to the backend
/// without the session and the backend's router does not take it for its sign-in either. Checked against ASP.NET
/// Core's real router, not a model of it.
/// </summary>
public sealed class AuthSpellingTests(AuthSpellingTests.Services services) : IClassFixture<AuthSpellingTests.Services>
{
    public static TheoryData<string, string> Spellings() => new()
    {
        { "POST", "/api/auth/login" },
        { "POST", "/api/auth/Login" },
        { "POST", "/API/AUTH/LOGIN/" },
        { "POST", "/api/auth/%6Cogin" },
        { "POST", "/api/auth//login" },
        { "POST", "//api/auth/login" },
        { "POST", "/api/tasks/%2e%2e/auth/login" },
        { "POST", "/api/auth%2Flogin" },
        { "POST", "/api/auth/log%C4%B1n" },
        { "POST", "/api/auth/lo%C4%9Fin" },
        { "POST", "/api/auth/login%20" },
        { "POST", "/api/auth/login;x" },
        { "POST", "/api/auth/login%00" },
        { "PUT", "/api/auth/login" },
        { "POST", "/api/auth/login.json" },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task No_spelling_of_sign_in_returns_the_access_token_in_a_body(string method, string path)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = services.Frontend.BaseAddress };
        browser.DefaultRequestHeaders.Add("X-Requested-With", "fetch");
        // Sent exactly as spelled: no client-side unescaping or dot-segment removal.
        var target = new Uri(services.Frontend.BaseAddress.GetLeftPart(UriPartial.Authority) + path, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var request = new HttpRequestMessage(new HttpMethod(method), target)
        {
            // A correct password: a sign-in the backend takes succeeds.
            Content = JsonContent.Create(new { email = services.User.Email, password = TestUser.DefaultPassword }),
        };
        using var response = await browser.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("access_token", body, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", body, StringComparison.Ordinal);
    }

    /// <summary>PostgreSQL, the backend, the frontend in front of it, and one registered account.</summary>
    public sealed class Services : IAsyncLifetime
    {
        private readonly PostgresServer _postgres = new();
        public TestKeys Keys { get; } = new();
        private ServiceProcess _backend = null!;

        public ServiceProcess Frontend { get; private set; } = null!;
        public TestUser User { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            _backend = BackendFixture.StartBackend((await _postgres.CreateMigratedDatabaseAsync("spelling")).Backend, Keys.PrivateKeyPem);
            await _backend.WaitUntilHealthyAsync();
            User = await TestUser.CreateAsync(_backend.BaseAddress);
            // The MCP server plays no part here; the frontend only needs an address for it.
            Frontend = await FrontendProcess.StartAsync(_backend.BaseAddress, new Uri("http://127.0.0.1:9"), new Dictionary<string, string?>
            {
                ["SIGN_INS_PER_MINUTE"] = "1000",
            });
        }

        public async Task DisposeAsync()
        {
            User?.Dispose();
            if (Frontend is not null)
            {
                await Frontend.DisposeAsync();
            }

            if (_backend is not null)
            {
                await _backend.DisposeAsync();
            }

            await _postgres.DisposeAsync();
            Keys.Dispose();
        }
    }
}
