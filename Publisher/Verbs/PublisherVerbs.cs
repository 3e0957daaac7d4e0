using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// The publisher's verbs by name, and each over a loaded model, with the options of one command
/// line: what the publisher's own command line runs and what the AppHost's pipeline steps (<c>aspire publish</c>,
/// <c>aspire deploy</c>, <c>aspire destroy</c>) run in-process. Everything it prints goes to <paramref name="console"/>.
/// </summary>
internal sealed class PublisherVerbs(RepositoryLayout repository, string outputFolder, CommandLine options, TextWriter console)
{
    /// <summary>Runs <paramref name="verb"/> (the command line's first argument); 2 for a verb that does not exist.</summary>
    public async Task<int> RunAsync(string verb)
    {
        switch (verb)
        {
            case "generate":
                Generate(await LoadModelAsync());
                return 0;
            case "secrets" when options.SecretsAction == "export":
                return await ExportSecretsAsync(await LoadModelAsync());
            case "secrets" when options.SecretsAction == "import":
                return await ImportSecretsAsync(await LoadModelAsync());
            case "secrets":
                return await SecretsAsync(await LoadModelAsync());
            case "build":
                return await BuildAsync(await LoadModelAsync());
            case "apply":
                return await ApplyAsync(await LoadModelAsync());
            case "destroy":
                return await DestroyAsync();
            case "rollback":
                return await RollbackAsync(await LoadModelAsync());
            case "backup":
                return await BackupAsync(await LoadModelAsync());
            case "restore":
                return await RestoreAsync(await LoadModelAsync());
            default:
                await Console.Error.WriteLineAsync($"Unknown verb '{verb}'.\n{CommandLine.Usage}");
                return 2;
        }
    }

    /// <summary>The model of <c>--manifest</c>, or of a fresh manifest of the AppHost.</summary>
    private Task<DeploymentModel> LoadModelAsync() =>
        Generation.LoadModelAsync(repository, options.Manifest, new AppHostBuild(options.NoBuild, options.Configuration), CancellationToken.None);

    /// <summary>Writes the deployment files and prints each path written.</summary>
    public void Generate(DeploymentModel model)
    {
        foreach (var file in Generation.Generate(model, repository, outputFolder, options.Cluster))
        {
            console.WriteLine($"wrote {repository.Relative(file)}");
        }
    }

    /// <summary>Adds the values <c>.env</c> lacks and prints their names: values never reach the console or logs.</summary>
    public async Task<int> SecretsAsync(DeploymentModel model)
    {
        var created = Generation.CreateSecrets(model, outputFolder, ComposeVolumes.ListExisting());
        var path = Path.Combine(outputFolder, DotEnvFile.FileName);
        await console.WriteLineAsync(created.Count == 0
            ? $"{path} already holds every value; nothing changed."
            : $"added {string.Join(", ", created)} to {path}");
        return 0;
    }

    public async Task<int> BuildAsync(DeploymentModel model)
    {
        // Which images are built here no generate option changes, and their tags are digests of their sources, so build
        // reads nothing from the output folder and can run while generate writes it (aspire deploy runs the two steps in
        // parallel): both compute the same tags.
        var app = KubernetesApp.From(model, repository, options.Cluster);
        return await new DeployVerbs(repository, outputFolder, Runner())
            .BuildAsync(app, options.Engine, options.KubeContext, ImageTags.FromInputs(app, repository, options.Tag), options.Registry, options.Push);
    }

    public async Task<int> ApplyAsync(DeploymentModel model)
    {
        var app = GeneratedApp(model);
        var settings = options.ApplySettings(ImageTags.FromInputs(app, repository, options.Tag));
        if (options.CreatePullSecret)
        {
            var credentials = RegistryCredentials.Read(options.Registry!, Environment.GetEnvironmentVariable, options.PasswordStdin ? Console.In : null);
            settings = settings with { NewPullSecret = new RegistryPullSecret(options.PullSecret!, credentials) };
        }

        var verbs = new DeployVerbs(repository, outputFolder, Runner());
        return options.UsesHelm
            ? await verbs.ApplyChartAsync(app, settings, options.KubeContext, options.Yes)
            : await verbs.ApplyAsync(app, settings, options.KubeContext, options.Yes);
    }

    public Task<int> DestroyAsync() =>
        new DeployVerbs(repository, outputFolder, Runner()).DestroyAsync(options.KubeContext, KubernetesOptions.Read(outputFolder).Namespace, options.Purge, options.UsesHelm);

    public Task<int> ExportSecretsAsync(DeploymentModel model) =>
        new DeployVerbs(repository, outputFolder, Runner()).ExportSecretsAsync(GeneratedApp(model), options.KubeContext, options.SecretsFile!, options.Recipients, options.RecipientsFile);

    public Task<int> ImportSecretsAsync(DeploymentModel model) =>
        new DeployVerbs(repository, outputFolder, Runner()).ImportSecretsAsync(GeneratedApp(model), options.KubeContext, options.SecretsFile!, options.Identity!);

    public Task<int> RollbackAsync(DeploymentModel model) =>
        new DeployVerbs(repository, outputFolder, Runner()).RollbackAsync(GeneratedApp(model), options.KubeContext, options.Revision, options.UsesHelm);

    public Task<int> BackupAsync(DeploymentModel model) =>
        new DeployVerbs(repository, outputFolder, Runner()).BackupAsync(GeneratedApp(model), options.KubeContext, options.DumpFile, options.UsesHelm);

    public Task<int> RestoreAsync(DeploymentModel model) =>
        new DeployVerbs(repository, outputFolder, Runner()).RestoreAsync(GeneratedApp(model), options.KubeContext, options.DumpFile!, options.Yes, options.UsesHelm);

    /// <summary>The app as the output folder was generated: the choices <c>generate</c> recorded (the dashboard, the chat model).</summary>
    private KubernetesApp GeneratedApp(DeploymentModel model) => KubernetesApp.From(model, repository, KubernetesOptions.Read(outputFolder));

    private ToolRunner Runner() => new(repository.Root, options.DryRun, console);
}
