using Phase4.SigningKeys;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Chat.EndToEnd;

/// <summary>
/// The chat feature's real moving parts: a private PostgreSQL, a Backend.Api process (it migrates the database and
/// signs tokens) and a McpServer process validating them with the public key. The backend finds the MCP server
/// through service discovery (<c>services__mcpserver__http__0</c>), as under Aspire. Both keep their ports across
/// restarts, so clients and tokens stay valid.
/// </summary>
public sealed class ChatServices : IAsyncDisposable
{
    private readonly PostgresServer _postgres = new();
    private readonly (string PrivateKeyPem, string PublicKeyPem) _keys = JwtKeys.CreateKeyPair();
    private readonly int _backendPort = FreePort.Next();
    private readonly int _mcpPort = FreePort.Next();
    private readonly Dictionary<string, string?> _backendSettings = [];

    private ChatServices()
    {
    }

    /// <summary>The owner's connection string, for tests that look into the database themselves.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    private MigratedDatabase Database { get; set; } = null!;

    public ServiceProcess Backend { get; private set; } = null!;

    public ServiceProcess McpServer { get; private set; } = null!;

    public Uri BackendAddress => Backend.BaseAddress;

    /// <param name="backendSettings">Extra backend configuration, e.g. <c>AI__Provider</c>.</param>
    public static async Task<ChatServices> StartAsync(IReadOnlyDictionary<string, string?>? backendSettings = null)
    {
        var services = new ChatServices();
        foreach (var (key, value) in backendSettings ?? new Dictionary<string, string?>())
        {
            services._backendSettings[key] = value;
        }

        await services._postgres.InitializeAsync();
        services.Database = await services._postgres.CreateMigratedDatabaseAsync("chat");
        services.ConnectionString = services.Database.Owner;
        services.Backend = services.StartBackendProcess();
        services.McpServer = services.StartMcpProcess(new Dictionary<string, string?>(), services._mcpPort);
        await services.Backend.WaitUntilHealthyAsync();
        await services.McpServer.WaitUntilHealthyAsync();
        return services;
    }

    public Task<TestUser> CreateUserAsync() => TestUser.CreateAsync(BackendAddress);

    /// <summary>Another backend process on the same database and MCP server, configured differently.</summary>
    public async Task<ServiceProcess> StartExtraBackendAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var backend = ServiceProcess.Start("Backend.Api", BackendEnvironment(settings));
        await backend.WaitUntilHealthyAsync();
        return backend;
    }

    /// <summary>Another MCP server process on the same database and key, with extra settings, on a port of its own.</summary>
    public async Task<ServiceProcess> StartExtraMcpServerAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var server = StartMcpProcess(settings, port: null);
        await server.WaitUntilHealthyAsync();
        return server;
    }

    /// <summary>SIGTERM the backend and start a fresh process on the same port: nothing survives but the database.</summary>
    public async Task RestartBackendAsync()
    {
        await Backend.StopAsync();
        await Backend.DisposeAsync();
        Backend = StartBackendProcess();
        await Backend.WaitUntilHealthyAsync();
    }

    public async Task StopMcpServerAsync() => await McpServer.KillAsync();

    public async Task StartMcpServerAsync()
    {
        await McpServer.DisposeAsync();
        McpServer = StartMcpProcess(new Dictionary<string, string?>(), _mcpPort);
        await McpServer.WaitUntilHealthyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        if (McpServer is not null)
        {
            await McpServer.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }

    private ServiceProcess StartBackendProcess() =>
        ServiceProcess.Start("Backend.Api", BackendEnvironment(_backendSettings), _backendPort);

    private Dictionary<string, string?> BackendEnvironment(IReadOnlyDictionary<string, string?> settings)
    {
        var environment = new Dictionary<string, string?>(BackendFixture.TestDefaults)
        {
            ["ConnectionStrings__tasksdb"] = Database.Backend,
            ["Jwt__SigningKey"] = _keys.PrivateKeyPem,
            ["Shutdown__DrainDelay"] = "00:00:00",
            ["services__mcpserver__http__0"] = $"http://127.0.0.1:{_mcpPort}",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private ServiceProcess StartMcpProcess(IReadOnlyDictionary<string, string?> settings, int? port)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__tasksdb"] = Database.McpServer,
            ["Jwt__PublicKey"] = _keys.PublicKeyPem,
            ["Shutdown__DrainDelay"] = "00:00:00",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return ServiceProcess.Start("McpServer", environment, port);
    }
}
