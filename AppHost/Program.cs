using Phase4.AppHost;
using Phase4.AppHost.DemoData;
using Phase4.AppHost.Deployment;
using Phase4.AppHost.Frontend;
using Phase4.AppHost.Postgres;
using Phase4.AppHost.Secrets;

var builder = DistributedApplication.CreateBuilder(args);

// postgres + tasksdb: a container, the local PostgreSQL install, or an external server (see Postgres/).
var tasksDatabase = builder.AddTasksDatabase();
var jwtKeys = builder.AddJwtKeys();

// The schema, the runtime roles and their grants, applied once before the services start (see MigratorResource).
var migrator = builder.AddMigrator(tasksDatabase);

var backend = builder.AddProject<Projects.Backend_Api>("backend")
    .WithReference(tasksDatabase.Backend, TasksDatabaseExtensions.Name)
    .WaitForCompletion(migrator)
    .WithEnvironment("Jwt__SigningKey", jwtKeys.SigningKey)
    .WithEnvironment("AI__Provider", "builtin")
    .WithServiceDefaultsHealth()
    .WithExternalHttpEndpoints()
    .PublishAs(ResourceKind.Service);

var mcpserver = builder.AddMcpServerProject(tasksDatabase.McpServer, migrator, backend, jwtKeys.PublicKey);

if (builder.ExecutionContext.IsRunMode)
{
    // Everything runs on this machine: the frontend reaches both services over loopback, the only sender whose
    // X-Forwarded-* they believe (docs/security.md). Deployments name their own proxies.
    foreach (var service in new[] { backend, mcpserver })
    {
        service.WithEnvironment("ForwardedHeaders__KnownProxies", "127.0.0.1,::1");
    }

    // The interactive API reference (Scalar over /openapi/v1.json), linked from the backend in the dashboard.
    backend.WithEnvironment("ApiReference__Enabled", "true")
        .WithUrlForEndpoint("http", _ => new ResourceUrlAnnotation { Url = "/scalar/v1", DisplayText = "API reference" });
}

// The public origin: the web app, /api proxied to the backend and /mcp to the MCP server.
var frontend = builder.AddFrontend(backend, mcpserver);

// Dashboard commands on the backend: seed or reset a demo account's tasks through the API.
backend.WithDemoDataCommands(frontend);

// No resource takes an HTTPS certificate in run mode, so the dashboard raises no certificate warning.
builder.ServeProjectsOverHttpOnly();

// What each resource is (service, job, database…) and its probes, written into the manifest for the publisher.
builder.WriteKindsToManifest();

// aspire publish, deploy and destroy run the publisher's verbs on this model (see Deployment/).
builder.AddPublisherSteps();

builder.Build().Run();
