using System.Net;
using System.Security.Cryptography;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// Outside Development the backend refuses to start without a usable key and never prints the key; in Development it
/// makes an ephemeral one.
/// </summary>
public sealed class SigningKeyStartupTests : IDisposable
{
    /// <summary>The key is checked before the database is ever used: nothing needs to listen here.</summary>
    private static readonly string NoDatabase = $"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=none;Timeout=1";

    private readonly TestKeys _keys = new();

    [Fact]
    public async Task Production_refuses_to_start_without_a_signing_key()
    {
        var failure = await StartupFailureAsync(signingKey: null);
        Assert.Contains("Jwt:SigningKey is required", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_an_unusable_signing_key_without_echoing_it()
    {
        const string secret = "c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LW11c3Qtbm90LWxlYWs";

        var failure = await StartupFailureAsync($"-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----");

        Assert.Contains("Jwt:SigningKey is not a usable private key", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_refuses_a_public_key_that_is_not_the_signing_keys_pair()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var failure = await StartupFailureAsync(_keys.PrivateKeyPem, new() { ["Jwt__PublicKey"] = other.ExportSubjectPublicKeyInfoPem() });

        Assert.Contains("Jwt:PublicKey is not the public half of Jwt:SigningKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_a_valid_key_even_before_the_database_is_reachable()
    {
        await using var backend = BackendFixture.StartBackend(NoDatabase, _keys.PrivateKeyPem);

        await backend.WaitUntilHealthyAsync("/alive");
        using var client = new HttpClient { BaseAddress = backend.BaseAddress };
        using var jwks = await client.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
    }

    [Fact]
    public async Task Development_without_a_key_signs_with_an_ephemeral_key_and_warns()
    {
        await using var backend = BackendFixture.StartBackend(NoDatabase, signingKey: null, new() { ["ASPNETCORE_ENVIRONMENT"] = "Development" });

        await backend.WaitUntilHealthyAsync("/alive");
        using var client = new HttpClient { BaseAddress = backend.BaseAddress };
        using var jwks = await client.GetAsync("/.well-known/jwks.json");

        Assert.Equal("EC", (string)(await jwks.ReadJsonAsync())["keys"]![0]!["kty"]!);
        Assert.Contains("ephemeral development key", backend.Output, StringComparison.Ordinal);
    }

    /// <summary>Starts the backend, expects it to exit, and returns what it printed.</summary>
    private static async Task<string> StartupFailureAsync(string? signingKey, Dictionary<string, string?>? extra = null)
    {
        await using var backend = BackendFixture.StartBackend(NoDatabase, signingKey, extra);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync("/alive"));
        Assert.True(backend.HasExited);
        return failure.Message;
    }

    public void Dispose() => _keys.Dispose();
}
