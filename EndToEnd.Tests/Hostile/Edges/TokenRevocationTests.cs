using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Hostile.Edges;

/// <summary>
/// A leaked MCP token or session token stops working when its owner says so: <c>DELETE /api/auth/mcp-tokens</c>
/// revokes every MCP token of the caller, <c>POST /api/auth/logout</c> the session token it is called with. Services
/// re-read revocations every <see cref="EdgeFixture.RevocationCheckInterval"/> here (30 s in production).
/// </summary>
[Collection(EdgeServices.Name)]
public sealed class TokenRevocationTests(EdgeFixture fixture)
{
    /// <summary>The interval plus generous room for a loaded machine.</summary>
    private static readonly TimeSpan RefusedWithin = EdgeFixture.RevocationCheckInterval + TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Revoking_MCP_access_refuses_every_earlier_MCP_token_within_the_check_interval_and_nothing_else()
    {
        using var user = await fixture.CreateUserAsync();
        var first = await McpTokenAsync(user);
        var second = await McpTokenAsync(user);
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(first));
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(second));

        using (var revoked = await user.Client.DeleteAsync("/api/auth/mcp-tokens"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        await AssertRefusedSoonAsync(() => ListToolsAsync(first));
        Assert.Equal(HttpStatusCode.Unauthorized, await ListToolsAsync(second));

        // New MCP tokens, the session itself and the in-app assistant (its own short-lived MCP token) still work.
        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(await McpTokenAsync(user)));
        using var chat = await user.Client.PostAsJsonAsync($"/api/{user.Id:D}/chat", new { message = "What's pending?" });
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task MCP_tokens_are_minted_per_account_up_to_the_burst_then_429_with_Retry_After_while_another_account_mints()
    {
        using var minter = await fixture.CreateUserAsync();
        using var other = await fixture.CreateUserAsync();
        for (var n = 0; n < EdgeFixture.McpTokenBurst; n++)
        {
            await McpTokenAsync(minter);
        }

        using (var refused = await minter.Client.PostAsync("/api/auth/mcp-token", null))
        {
            var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Contains("MCP tokens", (string?)problem["detail"], StringComparison.Ordinal);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(5), "one token comes back every 10 minutes here");
        }

        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(await McpTokenAsync(other)));
    }

    [Fact]
    public async Task Only_a_session_token_can_revoke_MCP_access()
    {
        using var user = await fixture.CreateUserAsync();
        var mcpToken = await McpTokenAsync(user);
        using var anonymous = new HttpClient { BaseAddress = fixture.Backend.BaseAddress };

        using (var withoutToken = await anonymous.DeleteAsync("/api/auth/mcp-tokens"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/auth/mcp-tokens");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", mcpToken);
        using (var withMcpToken = await anonymous.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withMcpToken.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await ListToolsAsync(mcpToken));
    }

    [Fact]
    public async Task Signing_out_refuses_that_session_token_at_once_and_on_other_replicas_within_the_interval_but_not_other_sessions()
    {
        using var user = await fixture.CreateUserAsync();
        using var otherSession = await SignInAgainAsync(user);
        await using var replica = fixture.StartBackend([]);
        await replica.WaitUntilHealthyAsync();
        using var onReplica = new HttpClient { BaseAddress = replica.BaseAddress };
        onReplica.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        using (var beforeOnReplica = await onReplica.GetAsync(user.Tasks))
        {
            Assert.Equal(HttpStatusCode.OK, beforeOnReplica.StatusCode); // the replica now remembers "not signed out"
        }

        using (var loggedOut = await user.Client.PostAsync("/api/auth/logout", null))
        {
            Assert.Equal(HttpStatusCode.NoContent, loggedOut.StatusCode);
        }

        using (var afterwards = await user.Client.GetAsync(user.Tasks))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
        }

        await AssertRefusedSoonAsync(async () =>
        {
            using var response = await onReplica.GetAsync(user.Tasks);
            return response.StatusCode;
        });
        using var stillSignedIn = await otherSession.Client.GetAsync(user.Tasks);
        Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
    }

    [Fact]
    public async Task A_signed_out_token_stays_refused_while_the_clock_skew_still_accepts_it_after_its_expiry()
    {
        // Session tokens that expire 3 s after sign-in: validation still accepts them for the 30 s clock skew after.
        await using var backend = fixture.StartBackend(new() { ["Jwt__AccessTokenLifetime"] = "00:00:03" });
        await backend.WaitUntilHealthyAsync();
        using var proxy = new HttpClient { BaseAddress = backend.BaseAddress };
        using var owner = await fixture.CreateUserAsync();
        var signedOut = await SignInAsync(proxy, owner);
        Assert.Equal(HttpStatusCode.NoContent, await SignOutAsync(proxy, signedOut));

        // Past its expiry, inside the skew: a later sign-out (which sweeps the table) must not forget this one.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.NoContent, await SignOutAsync(proxy, await SignInAsync(proxy, owner)));
        await Task.Delay(EdgeFixture.RevocationCheckInterval + TimeSpan.FromSeconds(1)); // this replica reads the table again

        using var request = new HttpRequestMessage(HttpMethod.Get, owner.Tasks);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", signedOut);
        using var response = await proxy.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> SignInAsync(HttpClient proxy, TestUser user)
    {
        using var login = await EdgeFixture.Send(proxy, "/api/auth/login",
            new { email = user.Email, password = TestUser.DefaultPassword }, fixture.NextForwardedAddress());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return (string)(await login.ReadJsonAsync())["access_token"]!;
    }

    private static async Task<HttpStatusCode> SignOutAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task AssertRefusedSoonAsync(Func<Task<HttpStatusCode>> call)
    {
        var clock = Stopwatch.StartNew();
        while (await call() != HttpStatusCode.Unauthorized)
        {
            Assert.True(clock.Elapsed < RefusedWithin, $"Still accepted {clock.Elapsed.TotalSeconds:0.0} s after the revocation.");
            await Task.Delay(200);
        }
    }

    private async Task<TestUser> SignInAgainAsync(TestUser user)
    {
        using var proxy = new HttpClient { BaseAddress = fixture.Backend.BaseAddress };
        using var login = await EdgeFixture.Send(proxy, "/api/auth/login",
            new { email = user.Email, password = TestUser.DefaultPassword }, fixture.NextForwardedAddress());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return TestUser.FromLogin(fixture.Backend.BaseAddress, user.Email, await login.ReadJsonAsync());
    }

    private static async Task<string> McpTokenAsync(TestUser user)
    {
        using var response = await user.Client.PostAsync("/api/auth/mcp-token", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string)(await response.ReadJsonAsync())["access_token"]!;
    }

    private async Task<HttpStatusCode> ListToolsAsync(string token)
    {
        using var client = new HttpClient { BaseAddress = fixture.Mcp.BaseAddress };
        using var request = McpRequest.ToolsCall(token, """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>A raw JSON-RPC request to the stateless MCP endpoint, as any MCP client sends it.</summary>
internal static class McpRequest
{
    public static HttpRequestMessage ToolsCall(string token, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }
}
