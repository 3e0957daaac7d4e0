using Phase4.Publisher.Verbs;

namespace Phase4.Publisher;

/// <summary>
/// The Phase4 publisher: turns the AppHost model (its Aspire manifest) into deployment files and deploys them. This
/// only dispatches: the verbs are in Verbs/ (one file each), the options in CommandLine. See docs/containers.md.
/// </summary>
internal static class PublisherCommand
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(CommandLine.Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = CommandLine.Parse(args[1..], args[0]);
            var repository = RepositoryLayout.Find(Directory.GetCurrentDirectory());
            var output = Path.GetFullPath(options.Output ?? repository.DefaultOutputFolder);
            return await new PublisherVerbs(repository, output, options, Console.Out).RunAsync(args[0]);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine("publisher: " + e.Message);
            return 1;
        }
    }
}
