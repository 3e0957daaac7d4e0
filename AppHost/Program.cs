using Phase4.AppHost;
using Phase4.AppHost.Frontend;
using Phase4.AppHost.Postgres;
using Phase4.AppHost.Secrets;

var builder = DistributedApplication.CreateBuilder(args);

// postgres + tasksdb: a container, the local PostgreSQL install, or an external server (see Postgres/).
var tasksDatabase = builder.AddTasksDatabase();
var jwtKeys = builder.AddJwtKeys();

var backend = builder.AddProject<Projects.Backend_Api>("backend")
    .WithReference(tasksDatabase.ConnectionString)
    .WaitFor(tasksDatabase.ReadyWhen)
    .WithEnvironment("Jwt__SigningKey", jwtKeys.SigningKey)
    .WithEnvironment("AI__Provider", "builtin")
    .WithHttpHealthCheck("/health")
    .WithExternalHttpEndpoints();

var mcpserver = builder.AddMcpServerProject(tasksDatabase.ConnectionString, backend, jwtKeys.PublicKey);

// The public origin: the web app, /api proxied to the backend and /mcp to the MCP server.
builder.AddFrontend(backend, mcpserver);

builder.Build().Run();
