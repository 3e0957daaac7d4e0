using Microsoft.Extensions.Configuration;

namespace Phase4.AppHost.Postgres;

/// <summary>The <c>tasksdb</c> connection string and the resource a consumer waits for before starting.</summary>
internal sealed record TasksDatabase(IResourceBuilder<IResourceWithConnectionString> ConnectionString, IResourceBuilder<IResource> ReadyWhen);

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

    private static TasksDatabase AddContainer(IDistributedApplicationBuilder builder)
    {
        var database = builder.AddPostgres("postgres")
            .WithDataVolume()
            .AddDatabase(Name);
        return new TasksDatabase(database, database);
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
        return new TasksDatabase(connectionString, connectionString);
    }
}
