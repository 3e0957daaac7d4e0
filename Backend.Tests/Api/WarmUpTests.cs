using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// Before it reports ready the backend runs its requests' paths once (IWarmUp), its API's own HTTP path included, over
/// loopback to itself as a warm-up token's subject, a new id no account has: nothing of any account is read or stored.
/// Its start-up (<c>/started</c>, the startup probe) ends with the warm-up, so that the kubelet's first readiness probe
/// (run as soon as the startup probe passes) finds it ready.
/// </summary>
[Collection(SharedBackend.Name)]
public sealed class WarmUpTests(BackendFixture fixture)
{
    [Fact]
    public async Task A_backend_listening_on_every_address_as_in_its_container_warms_its_api_over_loopback_and_stores_nothing()
    {
        var database = await fixture.Postgres.CreateMigratedDatabaseAsync("warmup");
        var port = FreePort.Next();
        // HTTP_PORTS in the image binds every address, which Kestrel reports as [::]; the warm-up must still reach it.
        var start = new ProcessStartInfo("dotnet", [Path.Combine(ServiceProcess.BuildDirectory("Backend.Api"), "Backend.Api.dll"), "--urls", $"http://+:{port}"])
        {
            WorkingDirectory = ServiceProcess.BuildDirectory("Backend.Api"),
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var environment = new Dictionary<string, string?>(BackendFixture.TestDefaults)
        {
            ["ConnectionStrings__tasksdb"] = database.Backend,
            ["Jwt__SigningKey"] = fixture.Keys.PrivateKeyPem,
            ["Shutdown__DrainDelay"] = "00:00:00",
        };
        await using var backend = ServiceProcess.Start(start, environment, new Uri($"http://127.0.0.1:{port}"));

        await backend.WaitUntilHealthyAsync();

        Assert.Contains("Warm-up HttpWarmUp took", backend.Output, StringComparison.Ordinal);
        Assert.Contains("Warm-up TaskWarmUp took", backend.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Warm-up HttpWarmUp did not finish", backend.Output, StringComparison.Ordinal);
        await using var connection = new NpgsqlConnection(database.Owner);
        await connection.OpenAsync();
        foreach (var table in new[] { "users", "tasks", "conversations", "messages" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task While_it_warms_up_the_backend_is_alive_but_neither_started_nor_ready_and_then_both_at_once()
    {
        var database = await fixture.Postgres.CreateMigratedDatabaseAsync("startup");
        // An MCP server that accepts connections (the kernel does, up to the backlog) and never answers: the chat
        // warm-up waits for it as long as it may (3 s), which holds the warm-up open long enough to look at.
        using var silentMcpServer = new TcpListener(IPAddress.Loopback, 0);
        silentMcpServer.Start();
        var silentPort = ((IPEndPoint)silentMcpServer.LocalEndpoint).Port;
        await using var backend = BackendFixture.StartBackend(database.Backend, fixture.Keys.PrivateKeyPem,
            new() { ["services__mcpserver__http__0"] = $"http://127.0.0.1:{silentPort}" });

        await backend.WaitUntilHealthyAsync("/alive");
        using var client = new HttpClient { BaseAddress = backend.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using (var started = await client.GetAsync("/started"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, started.StatusCode);
        }

        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await backend.WaitUntilHealthyAsync("/started");
        using (var health = await client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Contains("Warm-up ChatWarmUp did not finish", backend.Output, StringComparison.Ordinal);
    }
}
