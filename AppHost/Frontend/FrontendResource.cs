using Microsoft.Extensions.DependencyInjection;
using Phase4.AppHost.Deployment;
using Microsoft.Extensions.Logging;

namespace Phase4.AppHost.Frontend;

internal static partial class FrontendResource
{
    /// <summary>
    /// Adds the web frontend (<c>frontend</c>): the Node server in <c>Frontend/</c>, the app's one public origin
    /// (it serves the page and proxies <c>/api</c> to the backend and <c>/mcp</c> to the MCP server). In run mode
    /// <c>frontend-build</c> runs first and installs and builds the app only when something changed; in publish mode
    /// the image is built from <c>Frontend/Dockerfile</c> (the publisher's convention for an executable), and without
    /// that file the frontend is left out with a warning. It exports its traces, metrics and logs to the dashboard
    /// (OTLP, <c>WithOtlpExporter</c>), so a chat turn is one trace from the frontend to PostgreSQL.
    /// </summary>
    public static IResourceBuilder<ExecutableResource>? AddFrontend(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<ProjectResource> backend,
        IResourceBuilder<ProjectResource> mcpserver)
    {
        var directory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "Frontend"));
        if (builder.ExecutionContext.IsPublishMode && !File.Exists(Path.Combine(directory, "Dockerfile")))
        {
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                LogNotPublished(e.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FrontendResource)));
                return Task.CompletedTask;
            });
            return null;
        }

        var frontend = builder.AddExecutable("frontend", "node", directory, "server/index.js")
            .WithHttpEndpoint(env: "PORT")
            .WithExternalHttpEndpoints()
            .WithReference(backend)
            .WaitFor(backend)
            .WithReference(mcpserver)
            .WaitFor(mcpserver)
            .WithOtlpExporter()
            // The Node server serves ServiceDefaults' /alive and /health too; it warms nothing up, so it has started
            // once it is alive.
            .WithServiceDefaultsHealth(warmsUp: false)
            .PublishAs(ResourceKind.Service);

        if (builder.ExecutionContext.IsRunMode)
        {
            // The address browsers and MCP clients use (the endpoint's proxy): the only host the frontend tells the
            // backend and the MCP server (X-Forwarded-Host). A deployment sets its own public origin.
            frontend.WithEnvironment("PUBLIC_ORIGIN", frontend.GetEndpoint("http"));

            // npm ci when package-lock.json changed, npm run build when the app's sources changed; quick otherwise.
            var build = builder.AddExecutable("frontend-build", "node", directory, "scripts/prepare.mjs");
            frontend.WaitForCompletion(build);
        }
        else
        {
            // What a deployment must decide, stated in the manifest for the publisher to fill per target: the public
            // origin (unknown until a host is chosen) and the proxies whose X-Forwarded-For is believed (none without one).
            frontend.WithEnvironment("PUBLIC_ORIGIN", "").WithEnvironment("TRUSTED_PROXIES", "");
        }

        return frontend;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The frontend is left out of this publish: Frontend/Dockerfile is missing.")]
    private static partial void LogNotPublished(ILogger logger);
}
