using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Hostile.Edges;

/// <summary>
/// Backend.Api and McpServer as deployed behind the frontend's proxy, with small limits so each attack reaches them
/// quickly: the proxy is 127.0.0.1 (the only trusted sender of X-Forwarded-For); attackers and owners connect
/// directly from other loopback addresses (127.0.0.2 and up), which Linux routes like 127.0.0.1.
/// </summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    public const int SignInBurst = 8;
    public const int SignUpBurst = 3;
    public const int TaskQuota = 5;
    public const int ConversationQuota = 2;
    public const int ChatTurnsPerHour = 4;
    public const int McpTokenBurst = 4;
    public static readonly TimeSpan RevocationCheckInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan CredentialsReadTimeout = TimeSpan.FromSeconds(1);

    private int _nextForwardedAddress;

    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;
    public ServiceProcess Mcp { get; private set; } = null!;
    /// <summary>The owner's connection string, for tests that look into the database themselves.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    private MigratedDatabase _database = null!;

    /// <summary>Settings both services need to agree on (quotas are enforced by each).</summary>
    private static Dictionary<string, string?> Shared => new()
    {
        ["Jwt__RevocationCheckInterval"] = RevocationCheckInterval.ToString(),
        ["Quotas__TasksPerUser"] = TaskQuota.ToString(CultureInfo.InvariantCulture),
        ["Quotas__ConversationsPerUser"] = ConversationQuota.ToString(CultureInfo.InvariantCulture),
        ["Quotas__ChatTurnsPerHour"] = ChatTurnsPerHour.ToString(CultureInfo.InvariantCulture),
        ["Shutdown__DrainDelay"] = "00:00:00",
    };

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        _database = await Postgres.CreateMigratedDatabaseAsync("edges");
        ConnectionString = _database.Owner;
        var mcpPort = FreePort.Next();
        Backend = StartBackend(new()
        {
            ["RateLimits__SignIn__Burst"] = SignInBurst.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__SignIn__ReplenishEvery"] = "00:10:00",
            ["RateLimits__SignUp__Burst"] = SignUpBurst.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__SignUp__ReplenishEvery"] = "00:10:00",
            ["RateLimits__AnonymousConcurrency"] = "2",
            ["RateLimits__AnonymousQueue"] = "0",
            ["RateLimits__CredentialsReadTimeout"] = CredentialsReadTimeout.ToString(),
            ["RateLimits__McpTokens__Burst"] = McpTokenBurst.ToString(CultureInfo.InvariantCulture),
            ["RateLimits__McpTokens__ReplenishEvery"] = "00:10:00",
            ["AI__Provider"] = "builtin",
            ["services__mcpserver__http__0"] = $"http://127.0.0.1:{mcpPort}",
        });
        await Backend.WaitUntilHealthyAsync();
        using var key = ECDsa.Create();
        key.ImportFromPem(Keys.PrivateKeyPem);
        Mcp = ServiceProcess.Start("McpServer", new Dictionary<string, string?>(Shared)
        {
            ["ConnectionStrings__tasksdb"] = _database.McpServer,
            ["Jwt__PublicKey"] = key.ExportSubjectPublicKeyInfoPem(),
        }, mcpPort);
        await Mcp.WaitUntilHealthyAsync();
    }

    /// <summary>A backend on this database with this fixture's shared settings plus <paramref name="settings"/>.</summary>
    public ServiceProcess StartBackend(Dictionary<string, string?> settings)
    {
        var environment = Shared;
        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return BackendFixture.StartBackend(_database.Backend, Keys.PrivateKeyPem, environment);
    }

    /// <summary>A fresh documentation-range address the proxy can claim a request came from.</summary>
    public string NextForwardedAddress()
    {
        var n = Interlocked.Increment(ref _nextForwardedAddress);
        return $"198.18.{n / 250}.{(n % 250) + 1}";
    }

    /// <summary>
    /// Registers and signs in a user through the trusted proxy, each call from a fresh forwarded address, so it spends
    /// none of the per-address budgets the tests measure.
    /// </summary>
    public async Task<TestUser> CreateUserAsync()
    {
        using var proxy = new HttpClient { BaseAddress = Backend.BaseAddress };
        var email = TestUser.NewEmail();
        var credentials = new { email, password = TestUser.DefaultPassword };
        using (var registered = await Send(proxy, "/api/auth/register", credentials, NextForwardedAddress()))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using var login = await Send(proxy, "/api/auth/login", credentials, NextForwardedAddress());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.ReadJsonAsync();
        return TestUser.FromLogin(Backend.BaseAddress, email, body);
    }

    /// <summary>POSTs JSON, with <c>X-Forwarded-For</c>, a bearer token or a device token when given.</summary>
    public static async Task<HttpResponseMessage> Send(
        HttpClient client, string path, object body, string? forwardedFor = null, string? bearer = null, string? deviceToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (deviceToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Device-Token", deviceToken);
        }

        return await client.SendAsync(request);
    }

    /// <summary>
    /// A client whose connections leave from <paramref name="localAddress"/> (e.g. 127.0.0.2): to the backend, a
    /// browser at that address talking to it directly, not through the trusted proxy.
    /// </summary>
    public static HttpClient ClientFrom(string localAddress, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async Task DisposeAsync()
    {
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

[CollectionDefinition(Name)]
public sealed class EdgeServices : ICollectionFixture<EdgeFixture>
{
    public const string Name = "Sign-in and trust-boundary attacks on real processes";
}
