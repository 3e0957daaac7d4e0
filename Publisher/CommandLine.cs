using System.Text.RegularExpressions;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher;

internal sealed partial record CommandLine(string? Output, string? Manifest, bool NoBuild, string? Configuration)
{
    public bool DryRun { get; init; }

    public bool Purge { get; init; }

    public string Overlay { get; init; } = "minikube";

    public string? Tag { get; init; }

    public string? Engine { get; init; }

    public string? Registry { get; init; }

    public bool Push { get; init; }

    public string? KubeContext { get; init; }

    public bool Yes { get; init; }

    public string? Host { get; init; }

    public string? TlsSecret { get; init; }

    public string? IngressClass { get; init; }

    public string? StorageClass { get; init; }

    /// <summary>apply: the Secret every pod pulls its images with (<c>--pull-secret</c>).</summary>
    public string? PullSecret { get; init; }

    /// <summary>apply: create or update <see cref="PullSecret"/> from the registry credentials (<see cref="RegistryCredentials"/>).</summary>
    public bool CreatePullSecret { get; init; }

    /// <summary>apply --create-pull-secret: the password is read from standard input, as <c>docker login --password-stdin</c>.</summary>
    public bool PasswordStdin { get; init; }
    public string? Gateway { get; init; }

    public string? GatewayNamespace { get; init; }

    public string? GatewaySection { get; init; }

    public string? CertIssuer { get; init; }

    public string? ClusterIssuer { get; init; }

    /// <summary>apply, destroy, rollback, backup, restore: <c>kustomize</c> (default) or <c>helm</c> (<c>--chart</c>).</summary>
    public string Format { get; init; } = Formats[0];

    public static readonly string[] Formats = ["kustomize", Deploy.HelmRelease.Format];

    public bool UsesHelm => Format == Deploy.HelmRelease.Format;

    /// <summary>rollback: the release to return to (default: the previous deployed one).</summary>
    public int? Revision { get; init; }

    /// <summary>backup: the dump file (<c>--output FILE</c>); restore: the dump to restore (the argument).</summary>
    public string? DumpFile { get; init; }

    /// <summary>secrets: <c>export</c>, <c>import</c>, or null (the Compose route's <c>.env</c>).</summary>
    public string? SecretsAction { get; init; }

    /// <summary>secrets export: the file to write (<c>--to FILE</c>); secrets import: the file to read (the argument).</summary>
    public string? SecretsFile { get; init; }

    /// <summary>secrets export: the age recipients (<c>--recipient</c>, repeatable) and recipients file (<c>--recipients-file</c>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public string? RecipientsFile { get; init; }

    /// <summary>secrets import: the age identity file that decrypts the backup (<c>--identity FILE</c>).</summary>
    public string? Identity { get; init; }

    /// <summary>Arguments that are not options, in order (restore's FILE, rollback's REVISION).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>generate: the Kubernetes choices beyond the AppHost model (the dashboard, the chat model).</summary>
    public KubernetesOptions Cluster { get; init; } = KubernetesOptions.Default;

    /// <summary>
    /// The options of <paramref name="verb"/>: for <c>backup</c>, <c>--output</c> names the dump file (the output folder is
    /// not read); <c>restore FILE</c> and <c>rollback [REVISION]</c> take an argument.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, string? verb = null)
    {
        var options = new CommandLine(null, null, false, null);
        var arguments = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--output" when verb == "backup" => options with { DumpFile = ValueAfter(args, ref i) },
                "--output" => options with { Output = ValueAfter(args, ref i) },
                "--format" => options with { Format = OneOf(ValueAfter(args, ref i), Formats, "--format") },
                "--chart" => options with { Format = Deploy.HelmRelease.Format },
                "--revision" => options with { Revision = ParseRevision(ValueAfter(args, ref i)) },
                "--manifest" => options with { Manifest = ValueAfter(args, ref i) },
                "--no-build" => options with { NoBuild = true },
                "-c" or "--configuration" => options with { Configuration = ValueAfter(args, ref i) },
                "--dry-run" => options with { DryRun = true },
                "--purge" => options with { Purge = true },
                "--overlay" => options with { Overlay = OneOf(ValueAfter(args, ref i), KustomizeWriter.Overlays, "--overlay") },
                "--tag" => options with { Tag = Matching(ValueAfter(args, ref i), ImageTag(), "--tag", "an image tag (letters, digits, '_', '.', '-'; at most 128)") },
                "--engine" => options with { Engine = OneOf(ValueAfter(args, ref i), ImageBuild.Engines, "--engine") },
                "--registry" => options with { Registry = Matching(ValueAfter(args, ref i).TrimEnd('/'), RegistryName(), "--registry", "a registry host with an optional path, e.g. registry.example.com/team (no scheme, no tag)") },
                "--push" => options with { Push = true },
                "--kube-context" => options with { KubeContext = ValueAfter(args, ref i) },
                "--yes" => options with { Yes = true },
                "--host" => options with { Host = Matching(ValueAfter(args, ref i), HostName(), "--host", "a DNS host name, e.g. todo.example.com") },
                "--tls-secret" => options with { TlsSecret = Matching(ValueAfter(args, ref i), ObjectName(), "--tls-secret", "a Secret's name") },
                "--ingress-class" => options with { IngressClass = Matching(ValueAfter(args, ref i), ObjectName(), "--ingress-class", "an IngressClass's name") },
                "--storage-class" => options with { StorageClass = Matching(ValueAfter(args, ref i), ObjectName(), "--storage-class", "a StorageClass's name") },
                "--pull-secret" => options with { PullSecret = Matching(ValueAfter(args, ref i), ObjectName(), "--pull-secret", "a Secret's name") },
                "--create-pull-secret" => options with { CreatePullSecret = true },
                "--password-stdin" => options with { PasswordStdin = true },
                "--namespace" when verb is null or "generate" => options with { Cluster = options.Cluster with { Namespace = ValueAfter(args, ref i) } },
                "--namespace" => throw new ArgumentException(
                    "--namespace is a generate option: `generate --namespace NAME` writes it into the output and records it in publisher-state.json, " +
                    "and every later verb acts on that namespace."),
                "--gateway" => options with { Gateway = Matching(ValueAfter(args, ref i), ObjectName(), "--gateway", "a Gateway's name") },
                "--gateway-namespace" => options with { GatewayNamespace = Matching(ValueAfter(args, ref i), Label(), "--gateway-namespace", "a namespace's name") },
                "--gateway-section" => options with { GatewaySection = Matching(ValueAfter(args, ref i), ObjectName(), "--gateway-section", "a Gateway listener's name") },
                "--cert-issuer" => options with { CertIssuer = Matching(ValueAfter(args, ref i), ObjectName(), "--cert-issuer", "a cert-manager Issuer's name") },
                "--cluster-issuer" => options with { ClusterIssuer = Matching(ValueAfter(args, ref i), ObjectName(), "--cluster-issuer", "a cert-manager ClusterIssuer's name") },
                "--include-dashboard" => options with { Cluster = options.Cluster with { IncludeDashboard = true } },
                "--ai-provider" => options with { Cluster = options.Cluster with { AiProvider = OneOf(ValueAfter(args, ref i), KubernetesOptions.Providers, "--ai-provider") } },
                "--ai-endpoint" => options with { Cluster = options.Cluster with { AiEndpoint = ValueAfter(args, ref i) } },
                "--ai-model" => options with { Cluster = options.Cluster with { AiModel = ValueAfter(args, ref i) } },
                "--database" => options with { Cluster = options.Cluster with { Database = OneOf(ValueAfter(args, ref i), KubernetesOptions.DatabaseModes, "--database") } },
                "--database-cidr" => options with { Cluster = options.Cluster with { DatabaseCidr = ValueAfter(args, ref i) } },
                "--database-port" => options with { Cluster = options.Cluster with { DatabasePort = int.TryParse(ValueAfter(args, ref i), out var port) ? port : 0 } },
                "--database-max-connections" => options with { Cluster = options.Cluster with { DatabaseMaxConnections = WholeNumber(ValueAfter(args, ref i), "--database-max-connections") } },
                "--database-reserved-connections" => options with { Cluster = options.Cluster with { DatabaseReservedConnections = WholeNumber(ValueAfter(args, ref i), "--database-reserved-connections") } },
                "--secrets" => options with { Cluster = options.Cluster with { Secrets = OneOf(ValueAfter(args, ref i), KubernetesOptions.SecretModes, "--secrets") } },
                "--secret-store" => options with { Cluster = options.Cluster with { SecretStore = ValueAfter(args, ref i) } },
                "--secret-store-kind" => options with { Cluster = options.Cluster with { SecretStoreKind = OneOf(ValueAfter(args, ref i), KubernetesOptions.SecretStoreKinds, "--secret-store-kind") } },
                "--remote-key-prefix" => options with { Cluster = options.Cluster with { RemoteKeyPrefix = ValueAfter(args, ref i) } },
                "--to" => options with { SecretsFile = ValueAfter(args, ref i) },
                "--recipient" => options with { Recipients = [.. options.Recipients, ValueAfter(args, ref i)] },
                "--recipients-file" => options with { RecipientsFile = ValueAfter(args, ref i) },
                "--identity" => options with { Identity = ValueAfter(args, ref i) },
                "--database-secret" => options with { Cluster = options.Cluster with { DatabaseSecret = Matching(ValueAfter(args, ref i), ObjectName(), "--database-secret", "a Secret's name") } },
                _ when !args[i].StartsWith('-') && verb is "restore" or "rollback" or "secrets" => Argument(options, args[i], arguments),
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }

        if (verb == "restore")
        {
            options = options with { DumpFile = arguments.Count == 1 ? arguments[0] : throw new ArgumentException("restore needs the dump to restore: restore FILE --yes.") };
        }
        else if (verb == "rollback" && arguments.Count > 0)
        {
            options = options with { Revision = arguments.Count == 1 ? ParseRevision(arguments[0]) : throw new ArgumentException("rollback takes one revision.") };
        }

        else if (verb == "secrets")
        {
            options = Secrets(options, arguments);
        }

        if (options.Push && options.Registry is null)
        {
            throw new ArgumentException("--push needs --registry: the images are pushed to REGISTRY/phase4/<name>:<tag>.");
        }

        if (options.PullSecret is not null && options.Registry is null)
        {
            throw new ArgumentException("--pull-secret needs --registry: it holds the credentials of the registry the images are pulled from.");
        }

        if (options.CreatePullSecret && options.PullSecret is null)
        {
            throw new ArgumentException("--create-pull-secret needs --pull-secret NAME: the Secret to create.");
        }

        if (options.PasswordStdin && !options.CreatePullSecret)
        {
            throw new ArgumentException("--password-stdin goes with --create-pull-secret: it reads the registry password for the pull secret.");
        }

        return options with { Cluster = options.Cluster.Validated() };
    }

    /// <summary>apply's settings: production needs the registry the images were pushed to and the public host.</summary>
    public ApplySettings ApplySettings(ImageTags tags)
    {
        if (Overlay == "production" && (Registry is null || Host is null))
        {
            throw new ArgumentException(
                "--overlay production needs --registry (where `build --registry --push` pushed the images) and --host (the public host name).");
        }

        if (Overlay != "production" && (Host ?? TlsSecret ?? IngressClass ?? Gateway ?? CertIssuer ?? ClusterIssuer) is not null)
        {
            throw new ArgumentException("--host, --tls-secret, --ingress-class, --gateway and the cert-manager issuers configure the production overlay's entry: add --overlay production.");
        }

        if (Gateway is null && (GatewayNamespace ?? GatewaySection) is not null)
        {
            throw new ArgumentException("--gateway-namespace and --gateway-section name where the HTTPRoute attaches: add --gateway NAME.");
        }

        if (Gateway is not null && (TlsSecret ?? IngressClass ?? CertIssuer ?? ClusterIssuer) is not null)
        {
            throw new ArgumentException(
                "--gateway replaces the Ingress: TLS is the Gateway listener's, so --tls-secret, --ingress-class and the issuers do not apply. " +
                "For cert-manager, annotate your Gateway (cert-manager.io/issuer or cluster-issuer; docs/kubernetes.md).");
        }

        if (CertIssuer is not null && ClusterIssuer is not null)
        {
            throw new ArgumentException("--cert-issuer and --cluster-issuer name one cert-manager issuer: give one of them.");
        }

        return new ApplySettings(Overlay, tags)
        {
            Registry = Registry,
            Host = Host,
            TlsSecret = TlsSecret,
            IngressClass = IngressClass,
            StorageClass = StorageClass,
            PullSecret = PullSecret,
            Gateway = Gateway is null ? null : new GatewayRef(Gateway, GatewayNamespace, GatewaySection),
            Issuer = CertIssuer is not null ? new CertIssuer(Deploy.CertIssuer.Namespaced, CertIssuer)
                : ClusterIssuer is not null ? new CertIssuer(Deploy.CertIssuer.Cluster, ClusterIssuer) : null,
        };
    }

    /// <summary><c>secrets</c> (the Compose route's .env), <c>secrets export --to FILE</c> with recipients, <c>secrets import FILE --identity KEY</c>.</summary>
    private static CommandLine Secrets(CommandLine options, List<string> arguments) => arguments switch
    {
        [] when (options.SecretsFile ?? options.RecipientsFile ?? options.Identity) is null && options.Recipients.Count == 0 => options,
        ["export"] when options.SecretsFile is not null && (options.Recipients.Count > 0 || options.RecipientsFile is not null) && options.Identity is null =>
            options with { SecretsAction = "export" },
        ["import", var file] when options.Identity is not null && options.SecretsFile is null && options.Recipients.Count == 0 && options.RecipientsFile is null =>
            options with { SecretsAction = "import", SecretsFile = file },
        _ => throw new ArgumentException(
            "secrets takes: nothing (the Compose route's .env), export --to FILE --recipient AGE_RECIPIENT (or --recipients-file FILE), " +
            "or import FILE --identity AGE_IDENTITY_FILE."),
    };

    private static CommandLine Argument(CommandLine options, string argument, List<string> arguments)
    {
        arguments.Add(argument);
        return options;
    }

    private static int ParseRevision(string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var revision) && revision > 0
            ? revision
            : throw new ArgumentException($"A revision is a release number (1, 2, …); got '{value}'.");

    private static string OneOf(string value, IReadOnlyCollection<string> allowed, string option) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{option} must be one of {string.Join(", ", allowed)}.");

    private static string Matching(string value, Regex pattern, string option, string expected) =>
        pattern.IsMatch(value) ? value : throw new ArgumentException($"{option} must be {expected}; got '{value}'.");

    private static int WholeNumber(string value, string option) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{option} must be a whole number; got '{value}'.");

    private static string ValueAfter(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    /// <summary>distribution/reference's tag grammar.</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex ImageTag();

    /// <summary>A domain (with an optional port) and optional lower-case path components, as in an image reference.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    private static partial Regex RegistryName();

    [GeneratedRegex(@"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostName();

    /// <summary>A namespace's name (DNS label).</summary>
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>A Kubernetes object name (DNS subdomain).</summary>
    [GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([a-z0-9.-]*[a-z0-9])?$")]
    private static partial Regex ObjectName();
}
