using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Api;

[Collection(SharedBackend.Name)]
public sealed class AccountTests(BackendFixture backend) : IDisposable
{
    private readonly HttpClient _client = backend.CreateClient();

    [Fact]
    public async Task Registering_returns_201_with_the_user_id_and_email()
    {
        var email = TestUser.NewEmail();
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email = $"  {email} ", password = "long enough" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(email, (string)body["email"]!);
        var userId = (string)body["user_id"]!;
        Assert.True(Guid.TryParseExact(userId, "D", out _));
        Assert.Equal(userId.ToLowerInvariant(), userId);
    }

    [Fact]
    public async Task Registering_an_email_twice_is_a_409_whatever_its_case()
    {
        var email = TestUser.NewEmail();
        using var first = await _client.PostAsJsonAsync("/api/auth/register", new { email, password = "password-1" });
        using var second = await _client.PostAsJsonAsync("/api/auth/register", new { email = email.ToUpperInvariant(), password = "password-2" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("Password1")]
    [InlineData("iloveyou")]
    [InlineData("QWERTYUIOP")]
    [InlineData("p@ssw0rd")]
    [InlineData("12345678")]
    public async Task Registering_with_one_of_the_most_common_passwords_is_a_400_naming_password(string password)
    {
        var email = TestUser.NewEmail();
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email, password });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "password");
        Assert.Contains("most common", problem.ToJsonString(), StringComparison.Ordinal);

        // A common password inside a longer passphrase is fine.
        using var passphrase = await _client.PostAsJsonAsync("/api/auth/register", new { email, password = password + " for my tasks" });
        Assert.Equal(HttpStatusCode.Created, passphrase.StatusCode);
    }

    [Fact]
    public async Task A_password_hashed_with_fewer_PBKDF2_iterations_is_rehashed_with_210000_at_the_next_sign_in()
    {
        using var user = await backend.CreateUserAsync();
        Assert.Equal(210_000, await StoredIterationsAsync(user.Id));

        // As the previous release stored it: Identity's default, 100,000 iterations.
        var old = new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(new object(), TestUser.DefaultPassword);
        await using (var connection = new Npgsql.NpgsqlConnection(backend.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new Npgsql.NpgsqlCommand("UPDATE users SET password_hash = @hash WHERE id = @id", connection);
            update.Parameters.AddWithValue("hash", old);
            update.Parameters.AddWithValue("id", user.Id);
            await update.ExecuteNonQueryAsync();
        }

        Assert.Equal(100_000, await StoredIterationsAsync(user.Id));
        using (var signIn = await _client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        Assert.Equal(210_000, await StoredIterationsAsync(user.Id));
        using var again = await _client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    /// <summary>The iteration count in an Identity V3 hash: 0x01, PRF (4 bytes), iterations (4 bytes, big-endian), ...</summary>
    private async Task<int> StoredIterationsAsync(Guid userId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(backend.ConnectionString);
        await connection.OpenAsync();
        await using var read = new Npgsql.NpgsqlCommand("SELECT password_hash FROM users WHERE id = @id", connection);
        read.Parameters.AddWithValue("id", userId);
        var hash = Convert.FromBase64String((string)(await read.ExecuteScalarAsync())!);
        Assert.Equal(0x01, hash[0]);
        return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("no-domain@")]
    [InlineData("@no-user.example")]
    [InlineData("two words@example.com")]
    [InlineData("Name <name@example.com>")]
    [InlineData("ctrl\u0001char@example.com")]
    public async Task Registering_with_a_malformed_email_is_a_400_naming_email(string email)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email, password = "long enough" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "email");
    }

    [Fact]
    public async Task Registering_with_an_email_over_254_characters_is_a_400_naming_email()
    {
        var email = new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com";
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email, password = "long enough" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "email");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("seven77")]
    public async Task Registering_with_a_password_under_8_characters_is_a_400_naming_password(string? password)
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "password");
    }

    [Fact]
    public async Task Registering_with_a_password_over_1024_characters_is_a_400_naming_password()
    {
        using var response = await _client.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = new string('p', 1025) });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "password");
    }

    [Fact]
    public async Task Long_passphrases_need_no_digits_capitals_or_symbols()
    {
        var credentials = new { email = TestUser.NewEmail(), password = "all lower case words make a fine long passphrase" };
        using var registered = await _client.PostAsJsonAsync("/api/auth/register", credentials);
        using var login = await _client.PostAsJsonAsync("/api/auth/login", credentials);

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Logging_in_returns_a_signed_bearer_token_for_the_rest_api()
    {
        var email = TestUser.NewEmail();
        using var registered = await _client.PostAsJsonAsync("/api/auth/register", new { email, password = TestUser.DefaultPassword });
        var userId = (string)(await registered.ReadJsonAsync())["user_id"]!;

        using var response = await _client.PostAsJsonAsync("/api/auth/login", new { email = email.ToUpperInvariant(), password = TestUser.DefaultPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Bearer", (string)body["token_type"]!);
        Assert.Equal(3600, (int)body["expires_in"]!);
        Assert.Equal(userId, (string)body["user_id"]!);

        var token = (string)body["access_token"]!;
        var header = TestKeys.Header(token);
        var payload = TestKeys.Payload(token);
        Assert.Equal("ES256", header.GetProperty("alg").GetString());
        Assert.False(string.IsNullOrEmpty(header.GetProperty("kid").GetString()));
        Assert.Equal(userId, payload.GetProperty("sub").GetString());
        Assert.Equal(email, payload.GetProperty("email").GetString());
        Assert.Equal(TestKeys.ApiAudience, payload.GetProperty("aud").GetString());
        Assert.Equal(TestKeys.Issuer, payload.GetProperty("iss").GetString());
        Assert.False(string.IsNullOrEmpty(payload.GetProperty("jti").GetString()));
        var issuedAt = payload.GetProperty("iat").GetInt64();
        Assert.Equal(issuedAt, payload.GetProperty("nbf").GetInt64());
        Assert.Equal(issuedAt + 3600, payload.GetProperty("exp").GetInt64());
    }

    [Fact]
    public async Task Tokens_validate_against_the_published_jwks_which_holds_no_private_part()
    {
        using var user = await backend.CreateUserAsync();
        using var response = await _client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var jwk = new JsonWebKeySet(json).Keys.Single();
        Assert.Equal("EC", jwk.Kty);
        Assert.Equal("P-256", jwk.Crv);
        Assert.Equal("ES256", jwk.Alg);
        Assert.Equal("sig", jwk.Use);
        Assert.Null(jwk.D);
        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
        Assert.Equal(jwk.Kid, TestKeys.Header(user.Token).GetProperty("kid").GetString());

        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(user.Token, new TokenValidationParameters
        {
            ValidIssuer = TestKeys.Issuer,
            ValidAudience = TestKeys.ApiAudience,
            IssuerSigningKey = jwk,
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task An_unknown_email_and_a_wrong_password_get_the_same_401()
    {
        using var user = await backend.CreateUserAsync();

        using var wrongPassword = await _client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "not the password" });
        using var unknownEmail = await _client.PostAsJsonAsync("/api/auth/login", new { email = TestUser.NewEmail(), password = "not the password" });

        var first = await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var second = await unknownEmail.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal((string?)first["title"], (string?)second["title"]);
        Assert.Equal((string?)first["detail"], (string?)second["detail"]);
    }

    [Theory]
    [InlineData("""{"password":"long enough"}""", "email")]
    [InlineData("""{"email":"someone@example.com"}""", "password")]
    [InlineData("""{"email":"someone@example.com","password":""}""", "password")]
    public async Task Logging_in_without_a_field_is_a_400_naming_it(string body, string field)
    {
        using var response = await _client.PostAsync("/api/auth/login", HttpAssertions.Json(body));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Repeated_failures_throttle_that_account_for_every_client_without_its_device_token_until_the_lockout_ends()
    {
        using var victim = await backend.CreateUserAsync();
        using var neighbour = await backend.CreateUserAsync();
        var wrong = new { email = victim.Email, password = "wrong password" };
        var right = new { email = victim.Email, password = TestUser.DefaultPassword };
        const string guesser = "203.0.113.50";
        const string owner = "198.51.100.50";

        // The owner signed in on this device before: it holds a device token of the account.
        string deviceToken;
        using (var earlier = await LoginFromAsync(owner, right))
        {
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
            deviceToken = (string)(await earlier.ReadJsonAsync())["device_token"]!;
        }

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await LoginFromAsync(guesser, wrong);
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        // Throttled for every client without a device token, from any address: even the right password is refused,
        // and the answer says when to retry.
        foreach (var address in new[] { guesser, owner })
        {
            using var locked = await LoginFromAsync(address, right);
            await locked.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            var retryAfter = locked.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), BackendFixture.SignInLockout);
        }

        // The owner's device signs in; so does another user from the guesser's address.
        using (var fromTheDevice = await LoginFromAsync(owner, right, deviceToken))
        {
            Assert.Equal(HttpStatusCode.OK, fromTheDevice.StatusCode);
        }

        using (var other = await LoginFromAsync(guesser, new { email = neighbour.Email, password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // A device token of another account is no device token here.
        using (var borrowed = await LoginFromAsync(guesser, right, await DeviceTokenOfAsync(neighbour)))
        {
            await borrowed.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }

        await Task.Delay(BackendFixture.SignInLockout + TimeSpan.FromMilliseconds(300));
        using var unlocked = await LoginFromAsync(guesser, right);
        Assert.Equal(HttpStatusCode.OK, unlocked.StatusCode);
    }

    private async Task<string> DeviceTokenOfAsync(TestUser user)
    {
        using var login = await LoginFromAsync("192.0.2.77", new { email = user.Email, password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (string)(await login.ReadJsonAsync())["device_token"]!;
    }

    /// <summary>A sign-in as the frontend's proxy (the trusted 127.0.0.1) forwards it for a browser at <paramref name="client"/>.</summary>
    private async Task<HttpResponseMessage> LoginFromAsync(string client, object credentials, string? deviceToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(credentials) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        if (deviceToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Device-Token", deviceToken);
        }

        return await _client.SendAsync(request);
    }

    [Fact]
    public async Task Passwords_never_appear_in_the_backend_logs()
    {
        var password = "distinctive-" + Guid.NewGuid().ToString("N");
        var email = TestUser.NewEmail();
        using var registered = await _client.PostAsJsonAsync("/api/auth/register", new { email, password });
        using var login = await _client.PostAsJsonAsync("/api/auth/login", new { email, password });
        using var failed = await _client.PostAsJsonAsync("/api/auth/login", new { email, password = password + "x" });

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.DoesNotContain(password, backend.Backend.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mcp_token_endpoint_issues_a_token_for_the_mcp_audience()
    {
        using var user = await backend.CreateUserAsync();

        using var response = await user.Client.PostAsync("/api/auth/mcp-token", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(3600, (int)body["expires_in"]!);
        var payload = TestKeys.Payload((string)body["access_token"]!);
        Assert.Equal(TestKeys.McpAudience, payload.GetProperty("aud").GetString());
        Assert.Equal(0, payload.GetProperty("mcp_ver").GetInt32());
        Assert.Equal(user.Id.ToString("D"), payload.GetProperty("sub").GetString());
        Assert.Equal(user.Email, payload.GetProperty("email").GetString());
    }

    [Fact]
    public async Task The_mcp_token_endpoint_needs_a_rest_api_token()
    {
        using var user = await backend.CreateUserAsync();
        using var minted = await user.Client.PostAsync("/api/auth/mcp-token", null);
        var mcpToken = (string)(await minted.ReadJsonAsync())["access_token"]!;

        using var anonymous = await _client.PostAsync("/api/auth/mcp-token", null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/mcp-token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", mcpToken);
        using var withMcpToken = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withMcpToken.StatusCode);
    }

    public void Dispose() => _client.Dispose();
}
