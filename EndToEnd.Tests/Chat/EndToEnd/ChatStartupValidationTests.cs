using Phase4.SigningKeys;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>Bad AI, MCP, pool or admission settings stop the backend at start-up with a message naming the setting, never the key.</summary>
public sealed class ChatStartupValidationTests
{
    [Theory]
    [InlineData("AI__Provider", "gpt", "AI:Provider must be")]
    [InlineData("AI__Timeout", "00:00:00", "AI:Timeout must be")]
    [InlineData("AI__MaxHistoryMessages", "0", "AI:MaxHistoryMessages must be")]
    [InlineData("Mcp__Endpoint", "ftp://mcpserver/mcp", "Mcp:Endpoint must be")]
    [InlineData("Mcp__Endpoint", "https+http://mcpserver/mcp", "Mcp:Endpoint must be")]
    [InlineData("Mcp__ConnectTimeout", "00:10:00", "Mcp:ConnectTimeout must be")]
    [InlineData("Database__MaxPoolSize", "0", "Database:MaxPoolSize must be")]
    [InlineData("Admission__Concurrency", "0", "Admission:Concurrency must be")]
    public async Task An_invalid_setting_stops_the_backend_naming_it(string key, string value, string message)
    {
        var output = await StartAndWaitForExitAsync(new() { [key] = value }, message);

        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openai_provider_without_a_model_stops_the_backend_and_never_prints_the_key()
    {
        const string key = "sk-test-secret-value-123";

        var output = await StartAndWaitForExitAsync(new() { ["AI__Provider"] = "openai", ["AI__ApiKey"] = key }, "AI:Model is required");

        Assert.Contains("AI:Model is required", output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, output, StringComparison.Ordinal);
    }

    /// <summary>Starts a backend that must exit, and returns its output once <paramref name="expected"/> shows up (or 10 s pass).</summary>
    private static async Task<string> StartAndWaitForExitAsync(Dictionary<string, string?> settings, string expected)
    {
        settings["ConnectionStrings__tasksdb"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=none";
        settings["Jwt__SigningKey"] = JwtKeys.CreateKeyPair().PrivateKeyPem;
        await using var backend = ServiceProcess.Start("Backend.Api", settings);
        await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(60)));
        Assert.True(backend.HasExited);

        // The last lines may still be on their way through the redirected streams.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!backend.Output.Contains(expected, StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        return backend.Output;
    }
}
