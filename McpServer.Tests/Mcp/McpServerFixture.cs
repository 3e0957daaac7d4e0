using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using ModelContextProtocol.Client;
using Phase4.Domain.Accounts;
using Phase4.Domain.Data;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Mcp;

/// <summary>
/// One migrated database on a private PostgreSQL and one McpServer process over it, shared by the MCP test classes.
/// The tests migrate the database themselves, as the backend does in the app.
/// </summary>
public sealed class McpServerFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "http://localhost:5173";

    private readonly PostgresServer _postgres = new();

    public McpTestTokens Tokens { get; } = new();

    public string ConnectionString { get; private set; } = "";

    public ServiceProcess Server { get; private set; } = null!;

    public Uri Endpoint => new(Server.BaseAddress, "/mcp");

    private string _serverConnectionString = "";

    public Task InitializeAsync() => InitializeAsync([]);

    /// <summary>Starts the database and the server, with <paramref name="settings"/> added to its environment.</summary>
    public async Task InitializeAsync(Dictionary<string, string?> settings)
    {
        await _postgres.InitializeAsync();
        var database = await _postgres.CreateMigratedDatabaseAsync("mcp");
        ConnectionString = database.Owner;
        _serverConnectionString = database.McpServer;
        Server = StartServer(database.McpServer, Tokens.PublicKeyPem, settings);
        await Server.WaitUntilHealthyAsync();
    }

    public static ServiceProcess StartServer(string connectionString, string publicKeyPem, Dictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__tasksdb"] = connectionString,
            ["Jwt__PublicKey"] = publicKeyPem,
            ["Mcp__AllowedOrigins"] = AllowedOrigin + ", https://todo.example.test",
        };
        foreach (var (name, value) in settings ?? [])
        {
            environment[name] = value;
        }

        return ServiceProcess.Start("McpServer", environment);
    }

    /// <summary>Another server on this fixture's database and key with default settings, running in <paramref name="cgroup"/>.</summary>
    public ServiceProcess StartAnotherServerIn(MemoryCgroup cgroup)
    {
        var dll = Path.Combine(ServiceProcess.BuildDirectory("McpServer"), "McpServer.dll");
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var start = cgroup.StartInGroup("dotnet", [dll, "--urls", baseAddress.ToString()]);
        start.WorkingDirectory = Path.GetDirectoryName(dll)!;
        return ServiceProcess.Start(start, new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_NOLOGO"] = "1",
            ["ConnectionStrings__tasksdb"] = _serverConnectionString,
            ["Jwt__PublicKey"] = Tokens.PublicKeyPem,
        }, baseAddress);
    }

    /// <summary>Another server on this fixture's database and key, with <paramref name="settings"/> added.</summary>
    public ServiceProcess StartAnotherServer(Dictionary<string, string?> settings) =>
        StartServer(_serverConnectionString, Tokens.PublicKeyPem, settings);

    public static TodoDbContext CreateDbContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<TodoDbContext>().UseNpgsql(connectionString);
        TodoDbContext.ConfigureProvider(options);
        return new TodoDbContext(options.Options);
    }

    public TodoDbContext CreateDbContext() => CreateDbContext(ConnectionString);

    /// <summary>A new account row (tasks reference users), returning its id.</summary>
    public async Task<Guid> CreateUserAsync()
    {
        var id = Guid.NewGuid();
        await using var db = CreateDbContext();
        db.Users.Add(new UserAccount
        {
            Id = id,
            Email = $"{id:N}@example.test",
            NormalizedEmail = $"{id:N}@EXAMPLE.TEST",
            PasswordHash = "not-a-real-hash",
            CreatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return id;
    }

    /// <summary>An MCP client connected over Streamable HTTP with a bearer token for <paramref name="userId"/>.</summary>
    /// <summary>A raw JSON-RPC <c>initialize</c>, for tests of the HTTP edge.</summary>
    public const string InitializeRequest =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw-http-test","version":"1.0"}}}""";

    /// <summary>POSTs <paramref name="body"/> to /mcp as a Streamable HTTP client would, with the headers given.</summary>
    public Task<HttpResponseMessage> PostAsync(
        HttpClient http, string body, string? token, string? origin = null, string? protocolVersion = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (protocolVersion is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", protocolVersion);
        }

        return http.SendAsync(request);
    }

    public Task<McpClient> ConnectAsync(Guid userId) => ConnectAsync(Tokens.For(userId));

    public Task<McpClient> ConnectAsync(string token) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }));

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await _postgres.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class McpServerGroup : ICollectionFixture<McpServerFixture>
{
    public const string Name = "MCP server";
}
