using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The deployment model, with the cluster settings and <c>generate</c>'s options applied (<see cref="ClusterSettings"/>),
/// seen as Kubernetes objects: which workloads run as StatefulSets (those with volumes), which
/// settings go to a ConfigMap (literal values) and which to a Secret (values holding a deployment input), who talks
/// to whom (for NetworkPolicies) and which workload is the entry point (the Ingress or NodePort target).
/// </summary>
internal sealed record KubernetesApp(IReadOnlyList<KubernetesWorkload> Workloads, IReadOnlyList<DeploymentInput> Inputs, KubernetesOptions Options)
{
    /// <summary>The namespace unless <c>generate --namespace</c> names another (<see cref="KubernetesOptions.Namespace"/>).</summary>
    public const string DefaultNamespace = "phase4";

    /// <summary>The namespace this output deploys to.</summary>
    public string Namespace => Options.Namespace;

    public const string Instance = "phase4";

    /// <summary>The tag of committed output; <c>apply</c> sets real tags through kustomize <c>images:</c>.</summary>
    public const string PlaceholderTag = "generated";

    /// <summary>The production overlay's Ingress host until <c>apply --host</c> (or the chart's value) names yours.</summary>
    public const string PlaceholderHost = "phase4.example.com";

    /// <summary>The TLS Secret the Ingress names (the certificate is the operator's; cert-manager can create it).</summary>
    public const string DefaultTlsSecretName = "phase4-tls";

    public const string ManagedBy = "phase4-publisher";

    /// <summary>The labels of objects that belong to the app as a whole (the shared NetworkPolicies).</summary>
    public static IReadOnlyDictionary<string, string> AppLabels(string name) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = name,
        ["app.kubernetes.io/instance"] = Instance,
        ["app.kubernetes.io/part-of"] = Instance,
        ["app.kubernetes.io/managed-by"] = ManagedBy,
    };

    /// <summary>Every pod of the app carries these, and no other pod in the namespace need to.</summary>
    public static IReadOnlyDictionary<string, string> AppSelectorLabels => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/instance"] = Instance,
        ["app.kubernetes.io/part-of"] = Instance,
    };

    /// <summary>Seconds the kubelet waits before SIGTERM, so endpoints stop sending traffic first.</summary>
    public const int PreStopSleepSeconds = 5;

    /// <summary>ServiceDefaults' <c>Shutdown:DrainDelay</c> in Production (set explicitly in the ConfigMap).</summary>
    public const int DrainDelaySeconds = 5;

    /// <summary>Time left after the drain for in-flight requests and the host's stop.</summary>
    public const int StopAllowanceSeconds = 20;

    public const int TerminationGracePeriodSeconds = PreStopSleepSeconds + DrainDelaySeconds + StopAllowanceSeconds;

    public static KubernetesApp From(DeploymentModel model, RepositoryLayout repository, KubernetesOptions options)
    {
        var (workloads, inputs) = ClusterSettings.Apply(model, options, repository);
        var dependents = workloads
            .SelectMany(workload => workload.DependsOn.Select(dependency => (dependency, workload.Name)))
            .ToLookup(pair => pair.dependency, pair => pair.Name, StringComparer.Ordinal);
        var database = WorkloadKinds.DatabaseOf(workloads);
        var link = new DatabaseLink(database, options.UsesExternalDatabase && database is not null,
            DatabaseInputs(workloads, database));
        return new KubernetesApp(
            workloads.Select(workload => new KubernetesWorkload(
                    workload,
                    ImageUsers.Of(workload, repository),
                    dependents[workload.Name].Order(StringComparer.Ordinal).ToList(),
                    IsEntryPoint: workload.Ports.Any(port => port.External) && !dependents.Contains(workload.Name))
                { Database = link })
                .ToList(),
            inputs,
            options);
    }

    /// <summary>The inputs (passwords) inside the services' connection strings to <paramref name="database"/>.</summary>
    private static HashSet<string> DatabaseInputs(IEnumerable<Workload> workloads, string? database) => workloads
        .Where(workload => workload.Name != database)
        .SelectMany(workload => workload.Environment)
        .Where(variable => DatabaseLink.IsConnection(variable, database))
        .SelectMany(variable => variable.Value.Inputs.Select(input => input.ParameterName))
        .ToHashSet(StringComparer.Ordinal);

    public KubernetesWorkload Workload(string name) => Workloads.Single(workload => workload.Name == name);

    public KubernetesWorkload? EntryPoint => Workloads.FirstOrDefault(workload => workload.IsEntryPoint);

    /// <summary>The app's database workload (external or not), when the model has one.</summary>
    public KubernetesWorkload? DatabaseWorkload => Workloads.FirstOrDefault(workload => workload.Name == workload.Database.Name);
}

/// <summary>
/// Which workload is the app's database, whether it is external (<c>generate --database external</c>), and the inputs of
/// the services' connection strings to it (their roles' passwords).
/// </summary>
internal sealed record DatabaseLink(string? Name, bool IsExternal, IReadOnlySet<string> ConnectionInputs)
{
    public static DatabaseLink None { get; } = new(null, false, new HashSet<string>());

    /// <summary>A connection string (<c>ConnectionStrings__*</c>) to <paramref name="database"/>.</summary>
    public static bool IsConnection(EnvironmentVariable variable, string? database) =>
        database is not null && variable.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && variable.Value.Services.Contains(database);
}

internal sealed record KubernetesWorkload(Workload Source, int UserId, IReadOnlyList<string> Dependents, bool IsEntryPoint)
{
    public DatabaseLink Database { get; init; } = DatabaseLink.None;

    /// <summary>The database itself, when it is the operator's (external): nothing of it is deployed.</summary>
    public bool IsExternal => Database.IsExternal && Name == Database.Name;

    /// <summary>This workload's connection strings to the database: from the operator's Secret when it is external.</summary>
    public IReadOnlyList<EnvironmentVariable> DatabaseConnections => Name == Database.Name
        ? []
        : Source.Environment.Where(variable => DatabaseLink.IsConnection(variable, Database.Name)).ToList();

    /// <summary>
    /// Secret settings that exist only for a database the app runs: its connection strings and what shares their
    /// passwords (the migrator's role passwords: an external database's roles are the operator's).
    /// </summary>
    public IReadOnlyList<EnvironmentVariable> InClusterDatabaseSettings => Name == Database.Name
        ? []
        : AllSecretSettings.Where(setting => DatabaseConnections.Contains(setting)
            || setting.Value.Inputs.Any(input => Database.ConnectionInputs.Contains(input.ParameterName))).ToList();
    public string Name => Source.Name;

    /// <summary>A third-party workload with a port for people (the dashboard's UI) beside those for its peers.</summary>
    private bool HasPublicPorts => !Source.IsBuiltHere && Source.Ports.Any(port => port.External);

    /// <summary>The ports the workloads that reference this one use (the dashboard's OTLP ports, not its UI).</summary>
    public IReadOnlyList<WorkloadPort> PeerPorts => HasPublicPorts ? Source.Ports.Where(port => !port.External).ToList() : Source.Ports;

    /// <summary>The ports open to any client: all of the entry point's, a third-party workload's public ones (the dashboard's UI).</summary>
    public IReadOnlyList<WorkloadPort> OpenPorts =>
        IsEntryPoint ? Source.Ports : HasPublicPorts ? Source.Ports.Where(port => port.External).ToList() : [];

    /// <summary>Workloads with data (volumes) keep it in a StatefulSet's PersistentVolumeClaims.</summary>
    public bool IsStateful => Source.Volumes.Count > 0;

    /// <summary>A task run to completion (it serves no port): a Job, run before the workloads that wait for it.</summary>
    public bool IsJob => Source.RunsToCompletion;

    /// <summary>Stateless services built here scale horizontally.</summary>
    public bool Scales => !IsStateful && !IsJob && Source.IsBuiltHere;

    public string Kind => IsJob ? "Job" : IsStateful ? "StatefulSet" : "Deployment";

    /// <summary>The name of an argument's variable when the argument holds a secret (Kubernetes expands <c>$(NAME)</c>).</summary>
    public static string ArgumentVariable(int index) => $"PHASE4_ARG_{index}";

    /// <summary>The container's arguments, those holding a secret replaced by a reference to their Secret key.</summary>
    public IReadOnlyList<ValueTemplate> ContainerArgs =>
        Source.Args.Select((arg, index) => arg.Inputs.Any() ? ValueTemplate.Literal($"$({ArgumentVariable(index)})") : arg).ToList();

    public string SecretName => Name + "-secrets";

    public string HeadlessServiceName => Name + "-headless";

    /// <summary>What the workload is to the app (the <c>app.kubernetes.io/component</c> label).</summary>
    public string Component => Source.Kind.Component();

    public string ConfigName => Name + "-env";

    public string SecretsFileName => "." + Name + ".secrets";

    /// <summary>Settings with no deployment input in them: the ConfigMap's values (literals and service names).</summary>
    public IReadOnlyList<EnvironmentVariable> SettingValues =>
    [
        .. Source.Environment.Where(variable => !variable.Value.Inputs.Any()),
        .. Source.IsBuiltHere && !IsJob
            ? [new EnvironmentVariable("Shutdown__DrainDelay", ValueTemplate.Literal($"00:00:{KubernetesApp.DrainDelaySeconds:00}"))]
            : Array.Empty<EnvironmentVariable>(),
    ];

    /// <summary><see cref="SettingValues"/> as the Kustomize base writes them (services by their resource names).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Settings =>
        SettingValues.Select(variable => KeyValuePair.Create(variable.Name, variable.Value.Render(_ => ""))).ToList();

    /// <summary>Settings holding a deployment input (a password, a key), and arguments that do: keys of the generated Secret.</summary>
    public IReadOnlyList<EnvironmentVariable> SecretSettings => IsExternal ? []
        : Database.IsExternal ? AllSecretSettings.Except(InClusterDatabaseSettings).ToList()
        : AllSecretSettings;

    /// <summary>Every secret setting, whatever the database (the chart chooses with a value).</summary>
    public IReadOnlyList<EnvironmentVariable> AllSecretSettings =>
    [
        .. Source.Environment.Where(variable => variable.Value.Inputs.Any()),
        .. Source.Args.Select((arg, index) => new EnvironmentVariable(ArgumentVariable(index), arg)).Where(argument => argument.Value.Inputs.Any()),
    ];

    public IReadOnlyDictionary<string, string> Labels => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = Name,
        ["app.kubernetes.io/instance"] = KubernetesApp.Instance,
        ["app.kubernetes.io/component"] = Component,
        ["app.kubernetes.io/part-of"] = KubernetesApp.Instance,
        ["app.kubernetes.io/managed-by"] = KubernetesApp.ManagedBy,
    };

    /// <summary>The labels a selector matches: stable across versions.</summary>
    public IReadOnlyDictionary<string, string> SelectorLabels => SelectorLabelsOf(Name);

    public static IReadOnlyDictionary<string, string> SelectorLabelsOf(string workload) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["app.kubernetes.io/name"] = workload,
        ["app.kubernetes.io/instance"] = KubernetesApp.Instance,
    };

    public string ImageName => Source.Image switch
    {
        BuiltImage built => built.Repository,
        PublishedImage published => published.Reference,
        _ => throw new NotSupportedException(Name),
    };

    public string ImageReference => Source.Image is BuiltImage built ? $"{built.Repository}:{KubernetesApp.PlaceholderTag}" : ImageName;
}
