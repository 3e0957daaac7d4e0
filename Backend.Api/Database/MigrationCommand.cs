using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>
/// <c>Backend.Api migrate</c>: the same build as the service, run to completion as the database's owner before the
/// services start (the AppHost's <c>migrator</c>, a Kubernetes Job, a one-shot compose service). It migrates, creates
/// or updates the runtime roles and their grants, and exits 0, or 1 when it could not within <c>Database:Timeout</c>.
/// No web server: it serves nothing, and sends its logs and traces like the services (ServiceDefaults).
/// </summary>
internal static class MigrationCommand
{
    public const string Verb = "migrate";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args[1..]);
        builder.AddServiceDefaults();
        // It serves no requests, so there is nothing to drain: ServiceDefaults' drain on shutdown would only hold back
        // the services that wait for it to finish.
        builder.Services.PostConfigure<ShutdownOptions>(shutdown => shutdown.DrainDelay = TimeSpan.Zero);
        builder.AddTodoDatabase();
        var options = builder.Configuration.GetSection(MigrationOptions.Section).Get<MigrationOptions>() ?? new MigrationOptions();
        var problems = options.Problems().ToList();
        if (problems.Count > 0 || string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DatabaseSetup.ConnectionName)))
        {
            foreach (var problem in problems.DefaultIfEmpty($"ConnectionStrings:{DatabaseSetup.ConnectionName} (the owner's connection) is required."))
            {
                await Console.Error.WriteLineAsync("migrate: " + problem);
            }

            return 2;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<DatabaseMigration>();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            return await host.Services.GetRequiredService<DatabaseMigration>().RunAsync(stopping) ? 0 : 1;
        }
        finally
        {
            // Flushes the telemetry exporters before the process ends.
            await host.StopAsync();
        }
    }
}
