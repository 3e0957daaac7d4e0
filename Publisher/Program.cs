using Phase4.Publisher.Manifest;

namespace Phase4.Publisher;

/// <summary>The Phase4 publisher: turns the AppHost model (its Aspire manifest) into deployment files. See docs/containers.md.</summary>
internal static class PublisherCommand
{
    private const string Usage = """
        Usage: dotnet run --project Publisher -- <verb> [options]
          generate   write aspirate-output/ (docker-compose.yaml) from the AppHost model
          secrets    create aspirate-output/.env with random secrets, adding only values it does not have yet
        Options:
          --output DIR       output folder (default: aspirate-output at the repository root)
          --manifest FILE    read this Aspire manifest instead of publishing the AppHost's
          --no-build         run the AppHost without building it first
          -c, --configuration CONFIG   the AppHost build to run (default Debug)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = CommandLine.Parse(args[1..]);
            var repository = RepositoryLayout.Find(Directory.GetCurrentDirectory());
            var output = Path.GetFullPath(options.Output ?? repository.DefaultOutputFolder);
            switch (args[0])
            {
                case "generate":
                {
                    var model = await Generation.LoadModelAsync(repository, options.Manifest, new AppHostBuild(options.NoBuild, options.Configuration), CancellationToken.None);
                    foreach (var file in Generation.Generate(model, repository, output))
                    {
                        Console.WriteLine($"wrote {repository.Relative(file)}");
                    }

                    return 0;
                }
                case "secrets":
                {
                    var model = await Generation.LoadModelAsync(repository, options.Manifest, new AppHostBuild(options.NoBuild, options.Configuration), CancellationToken.None);
                    var created = Generation.CreateSecrets(model, output);
                    // Names only: values never reach the console or logs.
                    Console.WriteLine(created.Count == 0
                        ? $"{Path.Combine(output, ".env")} already holds every value; nothing changed."
                        : $"added {string.Join(", ", created)} to {Path.Combine(output, ".env")}");
                    return 0;
                }
                default:
                    Console.Error.WriteLine($"Unknown verb '{args[0]}'.\n{Usage}");
                    return 2;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine("publisher: " + e.Message);
            return 1;
        }
    }
}
