using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Overload;

/// <summary>A backend whose overload limits are all 1 with no queue, so one held request fills a partition.</summary>
public sealed class LimitedBackendFixture : IAsyncLifetime
{
    public PostgresServer Postgres { get; } = new();
    public TestKeys Keys { get; } = new();
    public ServiceProcess Backend { get; private set; } = null!;
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        ConnectionString = await Postgres.CreateDatabaseAsync("limits");
        Backend = BackendFixture.StartBackend(ConnectionString, Keys.PrivateKeyPem, new()
        {
            ["RateLimits__AccountConcurrency"] = "1",
            ["RateLimits__AccountQueue"] = "0",
            ["RateLimits__ChatConcurrency"] = "1",
            ["RateLimits__ChatQueue"] = "0",
            ["RateLimits__AnonymousConcurrency"] = "1",
            ["RateLimits__AnonymousQueue"] = "0",
            ["RateLimits__RetryAfter"] = "00:00:07",
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
