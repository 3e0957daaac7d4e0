using Microsoft.Extensions.Configuration;
using Phase4.AppHost.Deployment;

namespace Phase4.AppHost.Postgres;

/// <summary>
/// The <c>tasksdb</c> connection strings: the owner's, which only the migrator uses (DDL, roles, grants), and one per
/// runtime role; and the resource a consumer waits for before starting. In external mode the server is the operator's:
/// every connection string is the one configured, and the roles and grants are theirs (docs/database.md).
/// </summary>
internal sealed record TasksDatabase(
    IResourceBuilder<IResourceWithConnectionString> Owner,
    IResourceBuilder<IResourceWithConnectionString> Backend,
    IResourceBuilder<IResourceWithConnectionString> McpServer,
    IResourceBuilder<IResource> ReadyWhen,
    DatabaseRoles? Roles);

internal static class TasksDatabaseExtensions
{
    public const string Name = "tasksdb";

    /// <summary>Adds <c>postgres</c> and <c>tasksdb</c> in the mode <see cref="PostgresModeSelection"/> picks.</summary>
    public static TasksDatabase AddTasksDatabase(this IDistributedApplicationBuilder builder)
    {
        var mode = PostgresModeSelection.Choose(
            builder.Configuration[PostgresModeSelection.ConfigurationKey],
            builder.ExecutionContext.IsPublishMode,
            DockerEngine.Answers);

        return mode switch
        {
            PostgresMode.Container => AddContainer(builder),
            PostgresMode.Local => LocalPostgres.Add(builder),
            PostgresMode.External => AddExternal(builder),
            _ => throw new InvalidOperationException($"Unknown Postgres mode {mode}."),
        };
    }

    /// <summary>The runtime roles' connection strings to a server the app runs (container or local).</summary>
    public static TasksDatabase WithRoles(
        this IDistributedApplicationBuilder builder,
        IResourceBuilder<IResourceWithConnectionString> owner,
        EndpointReference server,
        IResourceBuilder<IResource> readyWhen)
    {
        var roles = DatabaseRoles.Add(builder);
        return new TasksDatabase(
            owner,
            builder.AddConnectionString($"{Name}-backend", roles.Backend.ConnectionString(server)),
            builder.AddConnectionString($"{Name}-mcpserver", roles.McpServer.ConnectionString(server)),
            readyWhen,
            roles);
    }

    private static TasksDatabase AddContainer(IDistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres").WithDataVolume().PublishAs(ResourceKind.Database);
        var database = postgres.AddDatabase(Name);
        return builder.WithRoles(database, postgres.Resource.PrimaryEndpoint, database);
    }

    private static TasksDatabase AddExternal(IDistributedApplicationBuilder builder)
    {
        // Without a value the dashboard would wait for input and the app would never start: fail fast instead.
        if (string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(Name)))
        {
            throw new InvalidOperationException(
                $"Postgres:Mode=external needs ConnectionStrings:{Name} (e.g. the environment variable ConnectionStrings__{Name}).");
        }

        var connectionString = builder.AddConnectionString(Name);
        return new TasksDatabase(connectionString, connectionString, connectionString, connectionString, Roles: null);
    }
}
