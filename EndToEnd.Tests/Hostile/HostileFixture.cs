using System.Security.Cryptography;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Hostile;

/// <summary>
/// The real services as deployed: Backend.Api (which migrates the database and signs tokens) and McpServer (trusting
/// the backend's public key) over one private PostgreSQL database. An attacker and a victim account are registered.
/// </summary>
public sealed class HostileFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;
    public ServiceProcess Mcp { get; private set; } = null!;
    public string ConnectionString { get; private set; } = string.Empty;
    public string PublicKeyPem { get; private set; } = string.Empty;
    public TestUser Attacker { get; private set; } = null!;
    public TestUser Victim { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var database = await Postgres.CreateMigratedDatabaseAsync("hostile");
        ConnectionString = database.Owner;
        using (var key = ECDsa.Create())
        {
            key.ImportFromPem(Keys.PrivateKeyPem);
            PublicKeyPem = key.ExportSubjectPublicKeyInfoPem();
        }

        // Each service as its own role; the backend's chat reaches the MCP server by service discovery.
        var mcpPort = FreePort.Next();
        Backend = BackendFixture.StartBackend(database.Backend, Keys.PrivateKeyPem, new()
        {
            ["AI__Provider"] = "builtin",
            ["services__mcpserver__http__0"] = $"http://127.0.0.1:{mcpPort}",
        });
        await Backend.WaitUntilHealthyAsync();
        Mcp = ServiceProcess.Start("McpServer", new Dictionary<string, string?>
        {
            ["ConnectionStrings__tasksdb"] = database.McpServer,
            ["Jwt__PublicKey"] = PublicKeyPem,
            // The corpus sends a few hundred tool calls as one account: each must reach the tools' own checks, not
            // the rate limit (McpLimitTests and McpMemoryTests cover that).
            ["RateLimits__ToolCalls__Burst"] = "100000",
        }, mcpPort);
        await Mcp.WaitUntilHealthyAsync();
        Attacker = await TestUser.CreateAsync(Backend.BaseAddress);
        Victim = await TestUser.CreateAsync(Backend.BaseAddress);
    }

    public async Task DisposeAsync()
    {
        Attacker?.Dispose();
        Victim?.Dispose();
        if (Mcp is not null)
        {
            await Mcp.DisposeAsync();
        }

        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Keys.Dispose();
    }
}
