using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Phase4.Tests.AppHost;

/// <summary>
/// The whole AppHost, started once for the AppHost collection with the locally installed PostgreSQL (a container runtime here
/// cannot pull images) in a throw-away data directory and a freshly generated signing key.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan FrontendStartTimeout = TimeSpan.FromMinutes(5);
    private static readonly string[] ResourceNames = ["postgres-init", "postgres", "backend", "mcpserver", "frontend-build", "frontend"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "phase4-apphost-" + Guid.NewGuid().ToString("N")[..8]);

    public string PostgresDataDirectory => Path.Combine(_root, "postgres");

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Everything the AppHost and its resources logged.</summary>
    public StartLogs Logs { get; } = new();

    /// <summary>
    /// What was logged from the start until the last resource, the frontend, was healthy (its first start runs npm ci
    /// and the build, so the other tests do not wait for it).
    /// </summary>
    public Task<IReadOnlyList<CapturedLog>> StartEntries { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        using var signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            "Postgres:Mode=local",
            $"Postgres:DataDirectory={PostgresDataDirectory}",
            $"Parameters:jwt-signing-key={signingKey.ExportPkcs8PrivateKeyPem()}",
            "--DcpPublisher:WaitForResourceCleanup=false",
        ], timeout.Token);
        builder.Services.AddSingleton<ILoggerProvider>(Logs);

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync("backend", timeout.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync("mcpserver", timeout.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"The backend and MCP server were not healthy within {StartTimeout}: {DescribeResources()}", e);
        }

        StartEntries = SnapshotOnceStartedAsync();
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        await WaitForPostgresToStopAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task<IReadOnlyList<CapturedLog>> SnapshotOnceStartedAsync()
    {
        using var timeout = new CancellationTokenSource(FrontendStartTimeout);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("frontend", timeout.Token);
        return Logs.Snapshot();
    }

    private string DescribeResources() => string.Join(", ",
        ResourceNames.Select(name =>
            App.ResourceNotifications.TryGetCurrentState(name, out var resource)
                ? $"{name}={resource.Snapshot.State?.Text}/{resource.Snapshot.HealthStatus}"
                : $"{name}=unknown"));

    /// <summary>Resource clean-up finishes in the background: the server removes postmaster.pid when it has shut down.</summary>
    private async Task WaitForPostgresToStopAsync()
    {
        var pidFile = Path.Combine(PostgresDataDirectory, "postmaster.pid");
        for (var attempt = 0; attempt < 300 && File.Exists(pidFile); attempt++)
        {
            await Task.Delay(100);
        }
    }
}
