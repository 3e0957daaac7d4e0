using System.Text.Json;
using System.Text.Json.Serialization;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The choices <c>generate</c> makes beyond the AppHost model: the standalone Aspire dashboard, the chat model's
/// provider, endpoint and name, the database and where the secrets come from. <c>generate</c> records them in the output
/// folder (as Aspirate keeps its <c>aspirate-state.json</c>) so that <c>apply</c> creates the secret files (or, with
/// external secrets, none) and waits for the workloads of the same output.
/// </summary>
internal sealed partial record KubernetesOptions(bool IncludeDashboard, string AiProvider, string AiEndpoint, string AiModel)
{
    public const string StateFileName = "publisher-state.json";

    public const string BuiltinProvider = "builtin";

    public const string OpenAIProvider = "openai";

    public static readonly string[] Providers = [BuiltinProvider, OpenAIProvider];

    /// <summary>What the committed output is generated with: no dashboard, the offline builtin model.</summary>
    public static KubernetesOptions Default { get; } = new(IncludeDashboard: false, BuiltinProvider, AiEndpoint: "", AiModel: "");

    [JsonIgnore]
    public bool UsesOpenAI => AiProvider == OpenAIProvider;

    public const string InClusterDatabase = "in-cluster";

    public const string ExternalDatabase = "external";

    public static readonly string[] DatabaseModes = [InClusterDatabase, ExternalDatabase];

    /// <summary>
    /// <c>in-cluster</c> (the AppHost's Postgres as a StatefulSet) or <c>external</c>: a managed service or an operator's
    /// cluster (CloudNativePG), reached at <see cref="DatabaseCidr"/>:<see cref="DatabasePort"/>, each service's
    /// connection string from the Secret <see cref="DatabaseSecret"/> the operator creates (docs/database.md).
    /// </summary>
    public string Database { get; init; } = InClusterDatabase;

    public string DatabaseCidr { get; init; } = "";

    public int DatabasePort { get; init; } = 5432;

    public string DatabaseSecret { get; init; } = "tasksdb-connection";

    /// <summary>
    /// PostgreSQL's <c>max_connections</c>: set on the in-cluster server; for an external one, the limit it has (what
    /// <c>SHOW max_connections</c> answers). The services' pools are sized to fit it (<see cref="ConnectionBudget"/>).
    /// </summary>
    public int DatabaseMaxConnections { get; init; } = ConnectionBudget.DefaultMaxConnections;

    /// <summary>Connections of <see cref="DatabaseMaxConnections"/> no service pool may take: superuser-reserved slots, the migrator, backups, an operator's psql.</summary>
    public int DatabaseReservedConnections { get; init; } = ConnectionBudget.DefaultReserved;

    [JsonIgnore]
    public bool UsesExternalDatabase => Database == ExternalDatabase;

    /// <summary>
    /// The namespace the Kustomize output (and <c>apply --chart</c>'s release) lives in, as Aspirate's <c>generate
    /// --namespace</c>: written into the namespace object and every kustomization, and recorded here so that
    /// <c>apply</c>, <c>rollback</c>, <c>destroy</c>, <c>backup</c> and <c>restore</c> act on the namespace this output
    /// was generated for.
    /// </summary>
    public string Namespace { get; init; } = KubernetesApp.DefaultNamespace;

    public const string GeneratedSecrets = "generated";

    public const string ExternalSecrets = "external";

    public static readonly string[] SecretModes = [GeneratedSecrets, ExternalSecrets];

    /// <summary>The CRD's default kind of <c>secretStoreRef</c>.</summary>
    public const string DefaultSecretStoreKind = "SecretStore";

    public static readonly string[] SecretStoreKinds = [DefaultSecretStoreKind, "ClusterSecretStore"];

    public const string DefaultRemoteKeyPrefix = "phase4-";

    /// <summary>
    /// <c>generated</c> (the publisher generates the deployment inputs) or <c>external</c>: the External Secrets Operator
    /// fills each workload's Secret from <see cref="SecretStore"/>, one remote key per input named
    /// <see cref="RemoteKeyPrefix"/> + the input's name (<see cref="ExternalSecrets"/>).
    /// </summary>
    public string Secrets { get; init; } = GeneratedSecrets;

    public string SecretStore { get; init; } = "";

    public string SecretStoreKind { get; init; } = DefaultSecretStoreKind;

    /// <summary>Dashes, not slashes, by default: Azure Key Vault and GCP Secret Manager allow no '/' in a secret's name.</summary>
    public string RemoteKeyPrefix { get; init; } = DefaultRemoteKeyPrefix;

    [JsonIgnore]
    public bool UsesExternalSecrets => Secrets == ExternalSecrets;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Fails, naming the option, on a combination the backend would refuse at start-up.</summary>
    public KubernetesOptions Validated()
    {
        if (!Providers.Contains(AiProvider))
        {
            throw new ArgumentException($"--ai-provider must be one of {string.Join(", ", Providers)}.");
        }

        if (AiEndpoint.Length > 0 && (!Uri.TryCreate(AiEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            throw new ArgumentException("--ai-endpoint must be an absolute http or https URL, e.g. https://api.openai.com/v1.");
        }

        if (UsesOpenAI && AiModel.Length == 0)
        {
            throw new ArgumentException("--ai-model is required with --ai-provider openai (e.g. gpt-4o-mini).");
        }

        if (!UsesOpenAI && (AiEndpoint.Length > 0 || AiModel.Length > 0))
        {
            throw new ArgumentException("--ai-endpoint and --ai-model apply to --ai-provider openai only.");
        }

        if (!DatabaseModes.Contains(Database))
        {
            throw new ArgumentException($"--database must be one of {string.Join(", ", DatabaseModes)}.");
        }

        if (UsesExternalDatabase && !System.Net.IPNetwork.TryParse(DatabaseCidr, out _))
        {
            throw new ArgumentException("--database external needs --database-cidr: the database's addresses as a CIDR, e.g. 10.20.0.0/16 (NetworkPolicies open egress to it only).");
        }

        if (DatabasePort is < 1 or > 65535)
        {
            throw new ArgumentException("--database-port must be a TCP port (1-65535).");
        }

        if (DatabaseMaxConnections is < 1 or > 262143)
        {
            throw new ArgumentException("--database-max-connections must be a whole number from 1 to 262143 (PostgreSQL's max_connections).");
        }

        if (DatabaseReservedConnections < 0 || DatabaseReservedConnections >= DatabaseMaxConnections)
        {
            throw new ArgumentException("--database-reserved-connections must be at least 0 and less than --database-max-connections.");
        }

        if (!NamespaceName().IsMatch(Namespace))
        {
            throw new ArgumentException($"--namespace must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters); got '{Namespace}'.");
        }

        if (!SecretModes.Contains(Secrets))
        {
            throw new ArgumentException($"--secrets must be one of {string.Join(", ", SecretModes)}.");
        }

        if (!SecretStoreKinds.Contains(SecretStoreKind))
        {
            throw new ArgumentException($"--secret-store-kind must be one of {string.Join(", ", SecretStoreKinds)}.");
        }

        if (UsesExternalSecrets && !ObjectNamePattern().IsMatch(SecretStore))
        {
            throw new ArgumentException("--secrets external needs --secret-store: the name of the SecretStore or ClusterSecretStore holding the deployment's keys (a Kubernetes object name).");
        }

        if (!UsesExternalSecrets && (SecretStore.Length > 0 || SecretStoreKind != DefaultSecretStoreKind || RemoteKeyPrefix != DefaultRemoteKeyPrefix))
        {
            throw new ArgumentException("--secret-store, --secret-store-kind and --remote-key-prefix apply to --secrets external only.");
        }

        if (!RemoteKeyPattern().IsMatch(RemoteKeyPrefix))
        {
            throw new ArgumentException("--remote-key-prefix may hold letters, digits and '-', '_', '.', '/' only.");
        }

        return this;
    }

    /// <summary>A namespace's name: an RFC 1123 label (Kubernetes docs, "Object Names and IDs", DNS Label Names).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial System.Text.RegularExpressions.Regex NamespaceName();

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial System.Text.RegularExpressions.Regex ObjectNamePattern();

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9/_.-]*$")]
    private static partial System.Text.RegularExpressions.Regex RemoteKeyPattern();

    /// <summary>The port the backend's model calls leave the cluster on: the endpoint's, or 443 for api.openai.com.</summary>
    [JsonIgnore]
    public int ModelEgressPort => AiEndpoint.Length > 0 ? new Uri(AiEndpoint).Port : 443;

    public string ToJson() => JsonSerializer.Serialize(this, Json).ReplaceLineEndings("\n") + "\n";

    /// <summary>The options the output in <paramref name="outputFolder"/> was generated with (the defaults when it has none).</summary>
    public static KubernetesOptions Read(string outputFolder)
    {
        var path = Path.Combine(outputFolder, StateFileName);
        return File.Exists(path)
            ? (JsonSerializer.Deserialize<KubernetesOptions>(File.ReadAllText(path), Json) ?? throw new InvalidOperationException($"{path} is empty.")).Validated()
            : Default;
    }
}
