using Phase4.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var backend = builder.AddProject<Projects.Backend_Api>("backend");

// ---- MCP server (branch "mcp") -------------------------------------------------------------------------------
// Placeholders until the database and token-key resources land: at merge, pass the real `tasksdb` and the
// parameter holding the backend's public key (PEM) instead, and keep the AddMcpServerProject call.
var tasksdb = builder.AddConnectionString("tasksdb");
var jwtPublicKey = builder.AddParameter("jwt-public-key");
builder.AddMcpServerProject(tasksdb, backend, jwtPublicKey);
// ---- end MCP server -------------------------------------------------------------------------------------------

builder.Build().Run();
