using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Phase4.Tests.Api.Support;

/// <summary>A registered, signed-in user with an HTTP client that sends its bearer token.</summary>
public sealed class TestUser : IDisposable
{
    public const string DefaultPassword = "correct horse battery staple";

    private TestUser(Guid id, string email, string token, HttpClient client)
    {
        Id = id;
        Email = email;
        Token = token;
        Client = client;
    }

    public Guid Id { get; }
    public string Email { get; }
    public string Token { get; }
    public HttpClient Client { get; }

    /// <summary>This user's task collection, <c>/api/{user_id}/tasks</c>.</summary>
    public string Tasks => $"/api/{Id:D}/tasks";

    public static string NewEmail() => $"user-{Guid.NewGuid():N}@example.com";

    public static async Task<TestUser> CreateAsync(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var email = NewEmail();
        var credentials = new { email, password = DefaultPassword };
        using (var registered = await PostPatientlyAsync(client, "/api/auth/register", credentials))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var login = await PostPatientlyAsync(client, "/api/auth/login", credentials);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        client.Dispose();
        return FromLogin(baseAddress, email, body);
    }

    /// <summary>
    /// Posts as a well-behaved client does: a 503 with <c>Retry-After</c> (the admission limiter or the password-hashing
    /// pool shedding load while other tests hammer the same backend) is retried after the delay the server asks for.
    /// Set-up of a test user is not what the shedding tests check, so it must not fail because of their load.
    /// </summary>
    private static async Task<HttpResponseMessage> PostPatientlyAsync(HttpClient client, string path, object body)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.PostAsJsonAsync(path, body);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || response.Headers.RetryAfter?.Delta is not { } delay || attempt == 5)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(delay < TimeSpan.FromSeconds(5) ? delay : TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>The user a login answer (<paramref name="login"/>) describes, with a client sending its token.</summary>
    public static TestUser FromLogin(Uri baseAddress, string email, JsonNode login)
    {
        var token = (string)login["access_token"]!;
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestUser(Guid.Parse((string)login["user_id"]!), email, token, client);
    }

    /// <summary>Creates a task and returns its JSON and ETag.</summary>
    public async Task<(JsonNode Task, string ETag)> CreateTaskAsync(string title = "Buy milk", string? description = null)
    {
        using var response = await Client.PostAsJsonAsync(Tasks, new { title, description });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadJsonAsync(), response.Headers.ETag!.ToString());
    }

    public void Dispose() => Client.Dispose();
}
