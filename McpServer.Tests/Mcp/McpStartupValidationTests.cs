using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Mcp;

/// <summary>Misconfiguration stops the server at start-up instead of surfacing on the first request.</summary>
public sealed class McpStartupValidationTests
{
    public static TheoryData<string, string?, string?> BadSettings => new()
    {
        { "no key", null, "http://localhost:5173" },
        { "not a key", "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----", null },
        { "a path in an origin", new McpTestTokens().PublicKeyPem, "http://localhost:5173/app" },
        { "not an origin", new McpTestTokens().PublicKeyPem, "localhost" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task The_server_refuses_to_start_with_a_missing_or_invalid_setting(string reason, string? publicKey, string? allowedOrigins)
    {
        await using var server = ServiceProcess.Start("McpServer", new Dictionary<string, string?>
        {
            // Never contacted: start-up fails before any database access.
            ["ConnectionStrings__tasksdb"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none",
            ["Jwt__PublicKey"] = publicKey,
            ["Mcp__AllowedOrigins"] = allowedOrigins,
        });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.WaitUntilHealthyAsync("/alive", TimeSpan.FromSeconds(30)));
        Assert.True(server.HasExited, reason);
        Assert.Contains("exited with", failure.Message, StringComparison.Ordinal);
    }
}
