using Phase4.AppHost.Deployment;

namespace Phase4.AppHost;

internal static class McpServerResource
{
    /// <summary>
    /// Adds the MCP server (<c>mcpserver</c>): the tasks database as its own least-privileged role, once the migrator
    /// has finished, validating the backend's tokens with its public key; the backend's chat agent reaches it through
    /// service discovery.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMcpServerProject(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> tasksdb,
        IResourceBuilder<ProjectResource> migrator,
        IResourceBuilder<ProjectResource> backend,
        IResourceBuilder<ParameterResource> jwtPublicKey)
    {
        var mcpserver = builder.AddProject<Projects.McpServer>("mcpserver")
            .WithReference(tasksdb, Postgres.TasksDatabaseExtensions.Name)
            .WaitForCompletion(migrator)
            .WithEnvironment("Jwt__PublicKey", jwtPublicKey)
            .WithServiceDefaultsHealth()
            .PublishAs(ResourceKind.Service);

        if (builder.ExecutionContext.IsPublishMode)
        {
            // No browser origin by default (MCP SDK clients send none): stated in the manifest so a deployment can set
            // its public origin here (the publisher's production settings, the chart's value).
            mcpserver.WithEnvironment("Mcp__AllowedOrigins", "");
        }

        backend.WithReference(mcpserver);
        return mcpserver;
    }
}
