using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Phase4.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Phase4 service shares: OpenTelemetry, service discovery, resilient HTTP clients, health endpoints,
/// graceful shutdown and forwarded-header handling. Shaped like the Aspire template, with production settings.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>
    /// The startup probe's path: the liveness checks, and those tagged <see cref="StartedTag"/>. A service whose start
    /// includes work before it serves fast (a warm-up) reports it here, so that Kubernetes asks for readiness once that
    /// work is done rather than while it runs (see <c>MapDefaultEndpoints</c>).
    /// </summary>
    public const string StartedEndpointPath = "/started";

    /// <summary>Checks with this tag run for liveness (the process only); all checks but <see cref="StartedTag"/>'s run for readiness.</summary>
    public const string LiveTag = "live";

    /// <summary>Checks with this tag run for the startup probe only (<see cref="StartedEndpointPath"/>), not for readiness.</summary>
    public const string StartedTag = "started";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // One clock for every service (tests replace it); JWT validation and the domain read time through it.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddGracefulShutdown();
        RuntimeResources.Add(builder.Services);
        ForwardedHeadersSetup.AddTrustedProxies(builder);

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retrying a POST that reached the server could create twice: only safe methods are retried.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql", "Experimental.ModelContextProtocol"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "Npgsql", "Experimental.ModelContextProtocol", "Experimental.Microsoft.Extensions.AI")
                .AddAspNetCoreInstrumentation(options =>
                    // Probes hit these every few seconds; tracing them would drown real requests.
                    options.Filter = context => !IsProbePath(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<ShutdownHealthCheck>("shutdown");

        // The health check service logs every unready probe as an error, starting and draining included; ReadinessLog
        // logs changes of readiness at the level each deserves instead (Aspire's AppHost silences it the same way).
        builder.Services.AddSingleton<ReadinessLog>();
        builder.Logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks.DefaultHealthCheckService", LogLevel.None);
        return builder;
    }

    /// <summary>
    /// Maps <c>/alive</c>, <c>/started</c> and <c>/health</c> in every environment (Kubernetes probes run in Production), applies
    /// forwarded headers from trusted proxies only (<see cref="ForwardedHeadersSetup"/>) and, while the service drains
    /// before stopping, closes clients' connections after each response (<see cref="CloseConnectionsWhileDraining"/>).
    /// Call it first after <c>Build()</c>, before other middleware.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ForwardedHeadersSetup.UseTrustedForwardedHeaders(app);
        CloseConnectionsWhileDraining.Use(app);

        var readinessLog = app.Services.GetRequiredService<ReadinessLog>();
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            Predicate = check => !check.Tags.Contains(StartedTag),
            ResponseWriter = (context, report) =>
            {
                readinessLog.Observe(report);
                return HealthResponse.WriteAsync(context, report);
            },
        }).DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponse.WriteAsync,
        }).DisableHttpMetrics();
        // The kubelet runs the readiness probe at once when the startup probe first succeeds, and otherwise only every
        // readiness period (kubernetes/kubernetes pkg/kubelet/prober/prober_manager.go, UpdatePodStatus, and worker.go):
        // a startup probe that passes while the service still warms up would leave a new pod out of its Service until
        // the next readiness period; this one passes when the warm-up is over.
        app.MapHealthChecks(StartedEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag) || check.Tags.Contains(StartedTag),
            ResponseWriter = HealthResponse.WriteAsync,
        }).DisableHttpMetrics();

        return app;
    }

    private static bool IsProbePath(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath)
        || path.StartsWithSegments(StartedEndpointPath);

    private static TBuilder AddGracefulShutdown<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<ShutdownOptions>()
            .Bind(builder.Configuration.GetSection(ShutdownOptions.SectionName))
            .PostConfigure(options => options.DrainDelay ??= builder.Environment.IsDevelopment() ? TimeSpan.Zero : TimeSpan.FromSeconds(5))
            .Validate(options => options.DrainDelay >= TimeSpan.Zero && options.DrainDelay <= TimeSpan.FromSeconds(20),
                "Shutdown:DrainDelay must be between 0 and 20 seconds (Kubernetes' grace period is 30 s).")
            .ValidateOnStart();

        builder.Services.AddSingleton<ShutdownState>();
        builder.Services.AddHostedService<DrainOnShutdown>();
        builder.Services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<ShutdownOptions>>((host, shutdown) =>
            // In-flight requests get what is left of the 30 s grace period after the drain delay.
            host.ShutdownTimeout = TimeSpan.FromSeconds(25) - (shutdown.Value.DrainDelay ?? TimeSpan.Zero));
        return builder;
    }
}
