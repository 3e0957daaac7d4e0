namespace Phase4.AppHost;

internal static class McpServerResource
{
    /// <summary>
    /// Adds the MCP server (<c>mcpserver</c>): the same database as the backend, ready only once the backend has
    /// migrated it, validating the backend's tokens with its public key; the backend's chat agent reaches it through
    /// service discovery.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMcpServerProject(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> tasksdb,
        IResourceBuilder<ProjectResource> backend,
        IResourceBuilder<ParameterResource> jwtPublicKey)
    {
        var mcpserver = builder.AddProject<Projects.McpServer>("mcpserver")
            .WithReference(tasksdb)
            .WaitFor(tasksdb)
            // The backend applies the migrations; the MCP server reports unready until they are there.
            .WaitFor(backend)
            .WithEnvironment("Jwt__PublicKey", jwtPublicKey)
            .WithHttpHealthCheck("/health");

        backend.WithReference(mcpserver);
        return mcpserver;
    }
}
