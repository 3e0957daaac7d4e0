using Microsoft.IdentityModel.Tokens;
using Phase4.ServiceDefaults.Security;
using Phase4.SigningKeys;
using Phase4.Tests.Mcp;

namespace Phase4.Tests.Api;

/// <summary>
/// The validated-token cache behind every service's JWT bearer authentication: a token that passed full validation
/// is accepted again without it, but only until full validation would refuse it, and refused tokens are never kept.
/// </summary>
public sealed class CachingTokenHandlerTests
{
    private readonly McpTestTokens _tokens = new();

    [Fact]
    public async Task A_validated_token_is_accepted_again_with_the_same_claims_in_a_fresh_identity()
    {
        var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var userId = Guid.NewGuid();
        var token = _tokens.For(userId);

        var first = await handler.ValidateTokenAsync(token, Parameters());
        var second = await handler.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.True(second.IsValid, second.Exception?.Message);
        Assert.Equal(1, handler.Count);
        Assert.Equal(userId.ToString("D"), second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);

        // What one request adds to its identity must not reach the next request's.
        second.ClaimsIdentity.AddClaim(new System.Security.Claims.Claim("role", "admin"));
        var third = await handler.ValidateTokenAsync(token, Parameters());
        Assert.Null(third.ClaimsIdentity.FindFirst("role"));
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var issuedAt = DateTime.UtcNow.AddSeconds(-10);
        var expires = DateTime.UtcNow.AddSeconds(2);
        var token = _tokens.For(Guid.NewGuid(), issuedAt: issuedAt, lifetime: expires - issuedAt);
        var noSkew = Parameters(clockSkew: TimeSpan.Zero);

        Assert.True((await handler.ValidateTokenAsync(token, noSkew)).IsValid);
        Assert.Equal(1, handler.Count);

        // exp is in whole seconds; wait until it has certainly passed.
        await Task.Delay(expires.AddSeconds(1) - DateTime.UtcNow);
        var late = await handler.ValidateTokenAsync(token, noSkew);

        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task Refused_tokens_are_never_remembered_and_a_tampered_copy_of_a_remembered_token_is_refused()
    {
        var handler = new CachingJsonWebTokenHandler(TimeProvider.System);
        var userId = Guid.NewGuid();
        var genuine = _tokens.For(userId);
        Assert.True((await handler.ValidateTokenAsync(genuine, Parameters())).IsValid);

        // A character well inside the signature (the last one carries padding bits that decoders may ignore).
        var tampered = genuine.ToCharArray();
        tampered[^10] = tampered[^10] == 'A' ? 'B' : 'A';
        string[] refused =
        [
            McpTestTokens.SignedByAnotherKey(userId),
            _tokens.Expired(userId),
            _tokens.For(userId, audience: McpTestTokens.RestAudience),
            new string(tampered),
            genuine + ".extra",
        ];
        foreach (var token in refused)
        {
            Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid, token);
            Assert.False((await handler.ValidateTokenAsync(token, Parameters())).IsValid, token);
        }

        Assert.Equal(1, handler.Count);
    }

    [Fact]
    public async Task A_full_cache_still_validates_new_tokens_and_stays_within_its_capacity()
    {
        var handler = new CachingJsonWebTokenHandler(TimeProvider.System, capacity: 2);
        var tokens = Enumerable.Range(0, 5).Select(_ => _tokens.For(Guid.NewGuid())).ToList();

        foreach (var token in tokens)
        {
            Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        foreach (var token in tokens)
        {
            Assert.True((await handler.ValidateTokenAsync(token, Parameters())).IsValid);
        }

        Assert.Equal(2, handler.Count);
    }

    /// <summary>The MCP server's validation parameters, as <c>AddJwtValidation</c> builds them.</summary>
    private TokenValidationParameters Parameters(TimeSpan? clockSkew = null) => new()
    {
        ValidIssuer = "phase4-backend",
        ValidAudience = McpTestTokens.McpAudience,
        IssuerSigningKey = JwtKeys.LoadPublicKey(_tokens.PublicKeyPem),
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = clockSkew ?? TimeSpan.FromSeconds(30),
        NameClaimType = "sub",
    };
}
