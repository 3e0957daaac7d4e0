using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Overload;

/// <summary>
/// A backend with small overload limits and no queues: two requests in progress fill an account's budget, one fills
/// the anonymous budget.
/// </summary>
public sealed class LimitedBackendFixture : IAsyncLifetime
{
    public const int AccountConcurrency = 2;
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(7);

    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;
    /// <summary>The backend role's connection string, for another backend on the same database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        ConnectionString = (await Postgres.CreateMigratedDatabaseAsync("limits")).Backend;
        Backend = BackendFixture.StartBackend(ConnectionString, Keys.PrivateKeyPem, new()
        {
            ["RateLimits__AccountConcurrency"] = AccountConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__AccountQueue"] = "0",
            ["RateLimits__AnonymousConcurrency"] = "1",
            ["RateLimits__AnonymousQueue"] = "0",
            ["RateLimits__RetryAfter"] = RetryAfter.ToString(),
        });
        await Backend.WaitUntilHealthyAsync();
    }

    /// <summary>Users are created one at a time: the anonymous limit is 1.</summary>
    public Task<TestUser> CreateUserAsync() => TestUser.CreateAsync(Backend.BaseAddress);

    public async Task DisposeAsync()
    {
        if (Backend is not null)
        {
            await Backend.DisposeAsync();
        }

        await Postgres.DisposeAsync();
        Keys.Dispose();
    }
}
