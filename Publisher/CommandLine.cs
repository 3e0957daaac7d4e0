namespace Phase4.Publisher;

internal sealed record CommandLine(string? Output, string? Manifest, bool NoBuild, string? Configuration)
{
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = new CommandLine(null, null, false, null);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--output" => options with { Output = ValueAfter(args, ref i) },
                "--manifest" => options with { Manifest = ValueAfter(args, ref i) },
                "--no-build" => options with { NoBuild = true },
                "-c" or "--configuration" => options with { Configuration = ValueAfter(args, ref i) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options;
    }

    private static string ValueAfter(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
