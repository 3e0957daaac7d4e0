using System.Net;
using System.Text.Json;

namespace Phase4.Tests.Mcp;

/// <summary>The HTTP edge of /mcp: bearer tokens for the MCP audience only, the Origin check, and statelessness.</summary>
[Collection(McpServerGroup.Name)]
public sealed class McpHttpSecurityTests(McpServerFixture fixture) : IDisposable
{
    private const string Initialize = McpServerFixture.InitializeRequest;

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task A_request_without_a_token_is_401_with_a_bearer_challenge_naming_the_resource_metadata()
    {
        using var response = await PostAsync(Initialize, token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        var metadataUrl = new Uri(fixture.Server.BaseAddress, "/.well-known/oauth-protected-resource/mcp");
        Assert.Equal($"resource_metadata=\"{metadataUrl}\"", challenge.Parameter);

        using var metadata = await _http.GetAsync(metadataUrl);
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        var document = JsonDocument.Parse(await metadata.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(fixture.Endpoint.ToString(), document.GetProperty("resource").GetString());
        Assert.Equal(["header"], document.GetProperty("bearer_methods_supported").EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task A_token_for_the_rest_api_audience_is_401()
    {
        var token = fixture.Tokens.For(await fixture.CreateUserAsync(), audience: McpTestTokens.RestAudience);

        await AssertUnauthorizedAsync(token);
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        await AssertUnauthorizedAsync(fixture.Tokens.Expired(await fixture.CreateUserAsync()));
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_401()
    {
        await AssertUnauthorizedAsync(McpTestTokens.SignedByAnotherKey(await fixture.CreateUserAsync()));
    }

    [Fact]
    public async Task A_token_whose_signature_was_altered_is_401()
    {
        var token = fixture.Tokens.For(await fixture.CreateUserAsync());
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];

        await AssertUnauthorizedAsync(tampered);
    }

    [Fact]
    public async Task A_valid_token_without_an_origin_header_is_served()
    {
        using var response = await PostAsync(Initialize, fixture.Tokens.For(await fixture.CreateUserAsync()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"serverInfo\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5173")]
    [InlineData("https://todo.example.test")]
    public async Task An_allowed_origin_is_served(string origin)
    {
        using var response = await PostAsync(Initialize, fixture.Tokens.For(await fixture.CreateUserAsync()), origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost:5174")]
    [InlineData("null")]
    public async Task A_foreign_origin_is_403_even_with_a_valid_token(string origin)
    {
        using var response = await PostAsync(Initialize, fixture.Tokens.For(await fixture.CreateUserAsync()), origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_tool_call_needs_no_session_so_any_replica_can_answer_it()
    {
        var token = fixture.Tokens.For(await fixture.CreateUserAsync());

        using var initialized = await PostAsync(Initialize, token);
        Assert.False(initialized.Headers.Contains("Mcp-Session-Id"), "A stateless server hands out no session.");

        using var response = await PostAsync(
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_tasks","arguments":{}}}""", token,
            protocolVersion: "2025-06-18");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"tasks\":[]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task AssertUnauthorizedAsync(string token)
    {
        using var response = await PostAsync(Initialize, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    private Task<HttpResponseMessage> PostAsync(string body, string? token, string? origin = null, string? protocolVersion = null) =>
        fixture.PostAsync(_http, body, token, origin, protocolVersion);

    public void Dispose() => _http.Dispose();
}
