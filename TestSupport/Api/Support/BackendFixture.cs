using System.Collections.Concurrent;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api.Support;

/// <summary>
/// One real PostgreSQL server and one Backend.Api process (Production environment) shared by the
/// <see cref="SharedBackend"/>. Tests isolate themselves by registering their own users.
/// </summary>
public sealed class BackendFixture : IAsyncLifetime
{
    /// <summary>Short, so the throttling test can wait a lockout out.</summary>
    public static readonly TimeSpan SignInLockout = TimeSpan.FromSeconds(3);

    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;
    /// <summary>The owner's connection string, for tests that look into the database themselves.</summary>
    public string ConnectionString { get; private set; } = string.Empty;
    public Uri BaseAddress => Backend.BaseAddress;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        var database = await Postgres.CreateMigratedDatabaseAsync("api");
        ConnectionString = database.Owner;
        Backend = StartBackend(database.Backend, Keys.PrivateKeyPem, new() { ["SignInThrottle__BaseLockout"] = SignInLockout.ToString() });
        await Backend.WaitUntilHealthyAsync();
    }

    /// <summary>
    /// Settings every test backend shares unless a test overrides them: the test process is the frontend's proxy on
    /// 127.0.0.1 (the only sender whose X-Forwarded-For is believed), and it signs many users up and in from that one
    /// address, so the per-address sign-in and sign-up budgets are far above the production defaults.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> TestDefaults { get; } = new Dictionary<string, string?>
    {
        ["ForwardedHeaders__KnownProxies"] = "127.0.0.1",
        ["RateLimits__SignIn__Burst"] = "100000",
        ["RateLimits__SignUp__Burst"] = "100000",
    };

    /// <summary>Starts a backend from this repository's build, or from <paramref name="buildDirectory"/> (another build of it).</summary>
    public static ServiceProcess StartBackend(string connectionString, string? signingKey, Dictionary<string, string?>? extra = null, string? buildDirectory = null)
    {
        var environment = new Dictionary<string, string?>(TestDefaults)
        {
            ["ConnectionStrings__tasksdb"] = connectionString,
            ["Jwt__SigningKey"] = signingKey,
            ["Shutdown__DrainDelay"] = "00:00:00",
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return ServiceProcess.Start("Backend.Api", environment, buildDirectory: buildDirectory);
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Registers and signs in a fresh user; its client sends the user's bearer token.</summary>
    public Task<TestUser> CreateUserAsync() => TestUser.CreateAsync(BaseAddress);

    /// <summary>
    /// A user shared by every test that asks with the same <paramref name="key"/> (one test class's tests, which run
    /// one at a time): for tests that only read or are refused, it saves two password hashings per test.
    /// </summary>
    public Task<TestUser> SharedUserAsync(string key) =>
        _sharedUsers.GetOrAdd(key, _ => new Lazy<Task<TestUser>>(CreateUserAsync)).Value;

    private readonly ConcurrentDictionary<string, Lazy<Task<TestUser>>> _sharedUsers = new();

    public async Task DisposeAsync()
    {
        foreach (var user in _sharedUsers.Values.Where(u => u.IsValueCreated && u.Value.IsCompletedSuccessfully))
        {
            user.Value.Result.Dispose();
        }

        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Keys.Dispose();
    }
}
