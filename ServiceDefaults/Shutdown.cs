using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>
    /// How long the service keeps serving, while reporting unready, after SIGTERM, so load balancers stop sending
    /// new requests before the server closes. Default 5 s (0 in Development).
    /// </summary>
    public TimeSpan? DrainDelay { get; set; }
}

/// <summary>Set once the host starts stopping; readiness reports unhealthy from then on.</summary>
public sealed class ShutdownState
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    internal void BeginDraining() => _draining = true;
}

/// <summary>Fails readiness first, then waits the drain delay before the web server stops accepting requests.</summary>
internal sealed partial class DrainOnShutdown(ShutdownState state, IOptions<ShutdownOptions> options, ILogger<DrainOnShutdown> logger)
    : IHostedLifecycleService
{
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        state.BeginDraining();
        var delay = options.Value.DrainDelay ?? TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            LogDraining(logger, delay.TotalSeconds);
            await Task.Delay(delay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: reporting unready and draining for {Seconds} s")]
    private static partial void LogDraining(ILogger logger, double seconds);
}

internal sealed class ShutdownHealthCheck(ShutdownState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("Shutting down") : HealthCheckResult.Healthy());
}

/// <summary>
/// While draining, every HTTP/1.x response tells the client to close its connection. A Kubernetes Service forwards
/// connections, not requests: removing the endpoint leaves clients' keep-alive connections on this pod, and if they
/// were still open when the server stops, it would close them while a request may be on its way (a few in every
/// rollout of bench/rolling-update.sh). Closed after a complete response, they reconnect to a ready pod instead.
/// </summary>
internal static class CloseConnectionsWhileDraining
{
    public static void Use(WebApplication app)
    {
        var state = app.Services.GetRequiredService<ShutdownState>();
        app.Use((context, next) =>
        {
            if (state.IsDraining && !HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol))
            {
                context.Response.Headers.Connection = "close";
            }

            return next(context);
        });
    }
}
