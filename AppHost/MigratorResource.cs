using Phase4.AppHost.Deployment;
using Phase4.AppHost.Postgres;

namespace Phase4.AppHost;

internal static class MigratorResource
{
    /// <summary>
    /// Adds <c>migrator</c>: the backend's build run as <c>Backend.Api migrate</c>, connected as the database's owner.
    /// It applies the EF Core migrations, creates or updates the runtime roles and their grants, and exits; the services
    /// wait for it to finish (the dashboard shows it Finished) and never migrate themselves. No endpoint: it serves
    /// nothing; the publisher deploys it as a run-to-completion job because it is published as one.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddMigrator(this IDistributedApplicationBuilder builder, TasksDatabase database)
    {
        var migrator = builder.AddProject<Projects.Backend_Api>("migrator", launchProfileName: null)
            .WithArgs("migrate")
            .WithReference(database.Owner, TasksDatabaseExtensions.Name)
            .WaitFor(database.ReadyWhen)
            .PublishAs(ResourceKind.Job);
        return database.Roles is { } roles ? roles.ConfigureMigrator(migrator) : migrator;
    }
}
