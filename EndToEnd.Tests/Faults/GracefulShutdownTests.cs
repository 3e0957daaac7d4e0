using System.Net;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// Between SIGTERM and the server's stop (the drain delay), the backend reports unready but keeps answering, and asks
/// every client to close its keep-alive connection after the answer: a Service forwards connections, so clients would
/// otherwise keep sending on them until the server closes them under a request. (Under load and with the deployed
/// timings: bench/rolling-update.sh.)
/// </summary>
public sealed class GracefulShutdownTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    [Fact]
    public async Task While_draining_the_backend_answers_unready_and_closes_each_keep_alive_connection_after_its_answer()
    {
        using var keys = new TestKeys();
        var database = await _postgres.CreateMigratedDatabaseAsync("drain");
        await using var backend = BackendFixture.StartBackend(database.Backend, keys.PrivateKeyPem, new() { ["Shutdown__DrainDelay"] = "00:00:05" });
        await backend.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(120));
        using var client = new HttpClient { BaseAddress = backend.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using (var serving = await client.GetAsync("/alive"))
        {
            Assert.Equal(HttpStatusCode.OK, serving.StatusCode);
            Assert.NotEqual(true, serving.Headers.ConnectionClose);
        }

        var stopping = backend.StopAsync();
        HttpResponseMessage readiness;
        while ((readiness = await client.GetAsync("/health")).StatusCode == HttpStatusCode.OK)
        {
            readiness.Dispose();
            await Task.Delay(50);
        }

        // That request may have begun just before the drain did: only the next one is sure to be answered during it.
        readiness.Dispose();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        using (var draining = await client.GetAsync("/alive"))
        {
            Assert.Equal(HttpStatusCode.OK, draining.StatusCode);
            Assert.True(draining.Headers.ConnectionClose, "An answer while draining kept the connection open.");
        }

        await stopping;
    }

    public Task DisposeAsync() => _postgres.DisposeAsync();
}
