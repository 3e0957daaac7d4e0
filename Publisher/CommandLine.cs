using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher;

internal sealed record CommandLine(string? Output, string? Manifest, bool NoBuild, string? Configuration)
{
    public bool DryRun { get; init; }

    public bool Purge { get; init; }

    public string Overlay { get; init; } = "minikube";

    public string? Tag { get; init; }

    public string? Engine { get; init; }

    /// <summary>generate: the Kubernetes choices beyond the AppHost model (the dashboard, the chat model).</summary>
    public KubernetesOptions Cluster { get; init; } = KubernetesOptions.Default;

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
                "--dry-run" => options with { DryRun = true },
                "--purge" => options with { Purge = true },
                "--overlay" => options with { Overlay = OneOf(ValueAfter(args, ref i), KustomizeWriter.Overlays, "--overlay") },
                "--tag" => options with { Tag = ValueAfter(args, ref i) },
                "--engine" => options with { Engine = OneOf(ValueAfter(args, ref i), ["docker", "podman", "minikube"], "--engine") },
                "--include-dashboard" => options with { Cluster = options.Cluster with { IncludeDashboard = true } },
                "--ai-provider" => options with { Cluster = options.Cluster with { AiProvider = OneOf(ValueAfter(args, ref i), KubernetesOptions.Providers, "--ai-provider") } },
                "--ai-endpoint" => options with { Cluster = options.Cluster with { AiEndpoint = ValueAfter(args, ref i) } },
                "--ai-model" => options with { Cluster = options.Cluster with { AiModel = ValueAfter(args, ref i) } },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        return options with { Cluster = options.Cluster.Validated() };
    }

    private static string OneOf(string value, IReadOnlyCollection<string> allowed, string option) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{option} must be one of {string.Join(", ", allowed)}.");

    private static string ValueAfter(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");
}
