namespace Phase4.AppHost.Postgres;

/// <summary>
/// The runtime roles the migrator creates and grants (Backend.Api <c>migrate</c>, Domain's DatabaseGrants): the
/// backend's and the MCP server's, each with a generated password kept like the other secrets. Neither is a superuser,
/// owns a table or may run DDL; only the migrator connects as the owner.
/// </summary>
internal sealed record DatabaseRoles(DatabaseRole Backend, DatabaseRole McpServer)
{
    public static DatabaseRoles Add(IDistributedApplicationBuilder builder) => new(
        DatabaseRole.Add(builder, "backend", "phase4_backend"),
        DatabaseRole.Add(builder, "mcpserver", "phase4_mcp"));

    /// <summary>What the migrator needs to create or update the roles (their names and passwords).</summary>
    public IResourceBuilder<T> ConfigureMigrator<T>(IResourceBuilder<T> migrator)
        where T : IResourceWithEnvironment =>
        migrator
            .WithEnvironment("Database__Roles__Backend__Name", Backend.Name)
            .WithEnvironment("Database__Roles__Backend__Password", Backend.Password)
            .WithEnvironment("Database__Roles__Mcp__Name", McpServer.Name)
            .WithEnvironment("Database__Roles__Mcp__Password", McpServer.Password);
}

internal sealed record DatabaseRole(string Name, IResourceBuilder<ParameterResource> Password)
{
    /// <summary>
    /// <c>tasksdb-&lt;service&gt;-password</c>: generated (letters and digits only, safe inside a connection string) and,
    /// in run mode, kept in the AppHost's user secrets so the role's password survives restarts; publish mode writes a
    /// reference the deployment fills (the publisher generates it once, like the Postgres password).
    /// </summary>
    public static DatabaseRole Add(IDistributedApplicationBuilder builder, string service, string name) => new(
        name,
        builder.AddParameter($"tasksdb-{service}-password", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true));

    /// <summary>The role's connection string to <c>tasksdb</c> on the server at <paramref name="endpoint"/>.</summary>
    public ReferenceExpression ConnectionString(EndpointReference endpoint) => ReferenceExpression.Create(
        $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={Name};Password={Password.Resource};Database={TasksDatabaseExtensions.Name}");
}
