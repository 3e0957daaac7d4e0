using System.Text.Encodings.Web;
using System.Text.Json;
using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// The chart's values: every object named after the release (<c>phase4.objectName</c>), labelled with it, and every
/// setting an operator may change read from <c>values.yaml</c> (see <see cref="ChartValuesFile"/> for the names).
/// </summary>
internal sealed class TemplateValues(IReadOnlyDictionary<string, string>? renamed = null) : ObjectValues
{
    /// <summary>The name an object has here: the upgrade hook's values name its own copies (<paramref name="renamed"/>).</summary>
    private string Named(string name) => renamed?.GetValueOrDefault(name) ?? name;

    public override IReadOnlyList<EnvironmentVariable> SecretSettings(KubernetesWorkload workload) => workload.AllSecretSettings;

    public override Node Name(string name) => ChartTemplate.Value(ObjectName(Named(name)));

    /// <summary>
    /// The workload's Secret: the operator's, or the chart's; an upgrade hook reads its own copy of the chart's, but the
    /// External Secrets Operator writes only the release's one.
    /// </summary>
    public override Node SecretName(KubernetesWorkload workload) => ChartTemplate.Value(Named(workload.SecretName) == workload.SecretName
        ? $"{ValuesOf(workload)}.existingSecret | default ({ObjectName(workload.SecretName)})"
        : $"{ValuesOf(workload)}.existingSecret | default (ternary ({ObjectName(workload.SecretName)}) ({ObjectName(Named(workload.SecretName))}) {ExternalSecretsValues}.enabled)");

    public override Mapping Labels(KubernetesWorkload workload) => Map(
        ("app.kubernetes.io/name", Text(workload.Name)),
        ("app.kubernetes.io/instance", ChartTemplate.Value("$.Release.Name")),
        ("app.kubernetes.io/component", Text(workload.Component)),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)),
        // The version of what runs: the tag of the workload's image (an app release leaves Postgres' objects alone).
        ("app.kubernetes.io/version", ChartTemplate.Value(workload.Source.IsBuiltHere
            ? $"{ValuesOf(workload)}.image.tag | default $.Values.imageTag | default $.Chart.AppVersion | quote"
            : $"{ValuesOf(workload)}.image.tag | quote")),
        ("app.kubernetes.io/managed-by", ChartTemplate.Value("$.Release.Service")),
        ("helm.sh/chart", ChartTemplate.Value("include \"phase4.chart\" $")));

    public override Mapping AppLabels(string name) => Map(
        ("app.kubernetes.io/name", Text(name)),
        ("app.kubernetes.io/instance", ChartTemplate.Value("$.Release.Name")),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)),
        ("app.kubernetes.io/managed-by", ChartTemplate.Value("$.Release.Service")),
        ("helm.sh/chart", ChartTemplate.Value("include \"phase4.chart\" $")));

    public override Mapping SelectorLabels(string workload) => Map(
        ("app.kubernetes.io/name", Text(workload)),
        ("app.kubernetes.io/instance", ChartTemplate.Value("$.Release.Name")));

    public override Mapping AppSelectorLabels() => Map(
        ("app.kubernetes.io/instance", ChartTemplate.Value("$.Release.Name")),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)));

    public override Node Image(KubernetesWorkload workload) =>
        ChartTemplate.Value($"include \"phase4.image\" (dict \"context\" $ \"image\" {ValuesOf(workload)}.image \"own\" {(workload.Source.IsBuiltHere ? "true" : "false")}) | quote");

    public override Node PullPolicy(KubernetesWorkload workload) => ChartTemplate.Value("$.Values.imagePullPolicy");

    public override Value<LocalObjectReference[]>? ImagePullSecrets(KubernetesWorkload workload) =>
        Value<LocalObjectReference[]>.With("$.Values.imagePullSecrets");

    public override Value<int>? Replicas(KubernetesWorkload workload) => workload.Scales
        ? Value<int>.When($"not {ValuesOf(workload)}.autoscaling.enabled", ChartTemplate.Value($"{ValuesOf(workload)}.replicas"))
        : 1;

    public override Value<int> MinReplicas(KubernetesWorkload workload) => ChartTemplate.Value($"{ValuesOf(workload)}.autoscaling.minReplicas");

    public override Value<int> MaxReplicas(KubernetesWorkload workload) => ChartTemplate.Value($"{ValuesOf(workload)}.autoscaling.maxReplicas");

    public override Value<int> TargetCpuUtilization(KubernetesWorkload workload) =>
        ChartTemplate.Value($"{ValuesOf(workload)}.autoscaling.targetCPUUtilizationPercentage");

    public override Value<Item<TopologySpreadConstraint>[]>? TopologySpread(KubernetesWorkload workload)
    {
        if (!workload.Scales)
        {
            return null;
        }

        var spread = $"{ValuesOf(workload)}.topologySpread";
        return Value<Item<TopologySpreadConstraint>[]>.When($"{spread}.enabled", new[]
        {
            Item<TopologySpreadConstraint>.Range($"{spread}.topologyKeys", new TopologySpreadConstraint(
                ChartTemplate.Value($"{spread}.maxSkew"),
                ChartTemplate.Value(". | quote"),
                ChartTemplate.Value($"{spread}.whenUnsatisfiable"),
                new LabelSelector(SelectorLabels(workload.Name)))),
        });
    }

    /// <summary>
    /// Hashes of the data of the workload's ConfigMap and Secret: new settings or secrets change them, so <c>helm
    /// upgrade</c> rolls exactly the pods that read them (labels are left out: a new image tag alone changes nothing here).
    /// </summary>
    public override Mapping? PodAnnotations(KubernetesWorkload workload) =>
        Map(
            ("checksum/config", ChartTemplate.Value($"(include (print $.Template.BasePath \"/{ChartWriter.ConfigTemplate(workload)}\") $ | fromYaml).data | toJson | sha256sum | quote")),
            ("checksum/secret", workload.AllSecretSettings.Count > 0
                ? ChartTemplate.Value($"include \"phase4.secretChecksum\" (dict \"context\" $ \"name\" \"{Named(workload.SecretName)}\") | quote")
                : null));

    public override Node Resources(KubernetesWorkload workload) => ChartTemplate.Yaml($"{ValuesOf(workload)}.resources");

    public override Node StorageSize(KubernetesWorkload workload) => ChartTemplate.Value($"{ValuesOf(workload)}.persistence.size | quote");

    public override Value<string>? StorageClass(KubernetesWorkload workload) =>
        Value<string>.With($"{ValuesOf(workload)}.persistence.storageClassName");

    public override Node ServiceType(KubernetesWorkload workload) =>
        workload.IsEntryPoint ? ChartTemplate.Value("$.Values.entryServiceType") : Text("ClusterIP");

    public override Value<string>? IngressClass() => Value<string>.With("$.Values.ingress.className");

    public override Value<IngressTls[]> IngressTls() => Value<IngressTls[]>.When("$.Values.ingress.tls.enabled",
        new IngressTls[] { new([IngressHost()], ChartTemplate.Value("$.Values.ingress.tls.secretName | quote")) });

    public override Node IngressHost() => ChartTemplate.Value("$.Values.ingress.host | quote");

    /// <summary>cert-manager's <c>cluster-issuer</c> or <c>issuer</c> annotation, present only when one is named.</summary>
    public override Value<Mapping>? IngressAnnotations() => Value<Mapping>.With(
        "(ternary (dict \"cert-manager.io/cluster-issuer\" $.Values.ingress.tls.clusterIssuer) (ternary (dict \"cert-manager.io/issuer\" $.Values.ingress.tls.issuer) (dict) (not (empty $.Values.ingress.tls.issuer))) (not (empty $.Values.ingress.tls.clusterIssuer)))");

    /// <summary><c>externalSecrets.*</c>: whether the External Secrets Operator fills the workloads' Secrets, and from where.</summary>
    public const string ExternalSecretsValues = "$.Values.externalSecrets";

    public override SecretStoreRef SecretStore() => new(
        ChartTemplate.Value($"required \"externalSecrets.secretStoreRef.name is required with externalSecrets.enabled\" {ExternalSecretsValues}.secretStoreRef.name | quote"),
        ChartTemplate.Value($"{ExternalSecretsValues}.secretStoreRef.kind | quote"));

    public override Value<string> SecretRefreshInterval() => ChartTemplate.Value($"{ExternalSecretsValues}.refreshInterval | quote");

    public override Value<string> RemoteKey(DeploymentInput input) =>
        ChartTemplate.Value($"print {ExternalSecretsValues}.remoteKeyPrefix \"{input.ParameterName}\" | quote");

    public override Node SecretTemplate(ValueTemplate value) =>
        ChartTemplate.Value(Print(value, _ => throw new InvalidOperationException("Inputs are template references by now.")) + " | quote");

    public override Entry ForInClusterDatabase(Entry entry) => ChartTemplate.If($"not {ExternalDatabase}.enabled", entry);

    public override Item<ExternalSecretData> ForInClusterDatabase(ExternalSecretData item) => Item<ExternalSecretData>.If($"not {ExternalDatabase}.enabled", [item], []);

    /// <summary><c>gateway.*</c>: the HTTPRoute to the operator's Gateway, instead of the Ingress.</summary>
    public const string GatewayValues = "$.Values.gateway";

    /// <summary>The app is reachable from outside: through the chart's Ingress or the operator's Gateway.</summary>
    private const string Exposed = $"(or $.Values.ingress.enabled {GatewayValues}.enabled)";

    /// <summary>The Gateway the chart's HTTPRoute attaches to (in the release's namespace unless named).</summary>
    public static ParentReference GatewayParent() => new(
        ChartTemplate.Value($"required \"gateway.name is required with gateway.enabled\" {GatewayValues}.name | quote"),
        Value<string>.With($"{GatewayValues}.namespace"),
        Value<string>.With($"{GatewayValues}.sectionName"));

    /// <summary><c>database.external.*</c>: whether the database is the operator's, and how the chart reaches it.</summary>
    public const string ExternalDatabase = "$.Values.database.external";

    public override Value<EnvVar[]>? DatabaseConnectionEnv(KubernetesWorkload workload) =>
        workload.DatabaseConnections.Count == 0
            ? null
            : Value<EnvVar[]>.When($"{ExternalDatabase}.enabled", LiteralValues.DatabaseSecretEnv(workload,
                ChartTemplate.Value($"required \"database.external.existingSecret is required with database.external.enabled\" {ExternalDatabase}.existingSecret")));

    public override Item<NetworkPolicyEgressRule> DatabaseEgress(KubernetesWorkload database, NetworkPolicyEgressRule inCluster) =>
        Item<NetworkPolicyEgressRule>.If($"not {ExternalDatabase}.enabled", [inCluster], [LiteralValues.ExternalDatabaseRule(
            ChartTemplate.Value($"required \"database.external.cidr is required with database.external.enabled\" {ExternalDatabase}.cidr | quote"),
            ChartTemplate.Value($"{ExternalDatabase}.port"))]);

    /// <summary>From the Ingress controller's namespaces, or the Gateway's (the release's when it names none), or anywhere.</summary>
    public override Item<NetworkPolicyIngressRule> EntryPointIngress(KubernetesWorkload workload, NetworkPolicyIngressRule fromAnywhere) =>
        Item<NetworkPolicyIngressRule>.If(Exposed,
            [NetworkPolicies.FromNamespaces(workload, Value<string[]>.HelmYaml(
                $"(ternary (list (default $.Release.Namespace {GatewayValues}.namespace)) $.Values.ingress.controllerNamespaces {GatewayValues}.enabled)"))],
            [fromAnywhere]);

    public override IEnumerable<Item<NetworkPolicyIngressRule>> BackupIngress(KubernetesWorkload database) =>
        [Item<NetworkPolicyIngressRule>.If("$.Values.backup.enabled", [DatabaseBackup.DatabaseIngressRule(database, this)], [])];

    public override Node Argument(KubernetesWorkload workload, ValueTemplate value) =>
        value.Parts is [LiteralPart { Text: var text }] && text.StartsWith(ConnectionBudget.MaxConnectionsArgument, StringComparison.Ordinal)
            ? ChartTemplate.Value($"print \"{ConnectionBudget.MaxConnectionsArgument}\" $.Values.database.maxConnections | quote")
            : ChartTemplate.Value(Print(value, _ => throw new InvalidOperationException($"{workload.Name}: a secret argument belongs in the Secret.")) + " | quote");

    public override Node Setting(KubernetesWorkload workload, string key, ValueTemplate value)
    {
        if (ClusterSettings.Tunable.Contains(key))
        {
            var configured = $"index {ValuesOf(workload)}.settings \"{key}\"";
            // The public origin may call the MCP server: by default the Ingress's, when there is one.
            return key == ClusterSettings.AllowedOriginsKey
                ? ChartTemplate.Value($"{configured} | default (ternary {PublicOrigin} \"\" {Exposed}) | quote")
                : ChartTemplate.Value($"{configured} | quote");
        }

        return key switch
        {
            // The connection budget over the chart's own values (ConnectionBudget.ChartHelper).
            ConnectionBudget.PoolSizeKey => ChartTemplate.Value($"include \"{ChartWriter.ChartName}.maxPoolSize\" $ | quote"),
            // Believed only with a proxy in front that sets X-Forwarded-For (the Ingress's or the Gateway's), from its pods' network.
            ClusterSettings.TrustedProxiesKey => ChartTemplate.Value($"ternary $.Values.ingress.trustedProxies \"\" {Exposed} | quote"),
            ClusterSettings.PublicOriginKey => ChartTemplate.Value($"ternary {PublicOrigin} \"\" {Exposed} | quote"),
            _ => ChartTemplate.Value(Print(value, _ => throw new InvalidOperationException($"{workload.Name}.{key} holds a secret: it belongs in the Secret.")) + " | quote"),
        };
    }

    /// <summary>
    /// A value as one template expression: <c>(print "literal" (objectName) …)</c>, with each deployment input written by
    /// <paramref name="input"/> and services by their release-scoped names.
    /// </summary>
    public static string Print(ValueTemplate value, Func<DeploymentInput, string> input)
    {
        var parts = value.Parts.Select(part => part switch
        {
            // A JSON string is a valid Go string literal (the same escapes).
            LiteralPart literal => JsonSerializer.Serialize(literal.Text, GoStringLiteral),
            InputPart reference => input(reference.Input),
            ServicePart service => $"({ObjectName(service.Workload)})",
            _ => throw new InvalidOperationException($"Unknown value part {part}."),
        }).ToList();
        return parts.Count == 0 ? "\"\"" : $"(print {string.Join(' ', parts)})";
    }

    private static readonly JsonSerializerOptions GoStringLiteral = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The public origin: https behind the Gateway (whose listener is the operator's) or the Ingress unless its TLS is off.</summary>
    private const string PublicOrigin = $"(printf \"%s://%s\" (ternary \"https\" \"http\" (or {GatewayValues}.enabled $.Values.ingress.tls.enabled)) $.Values.ingress.host)";

    /// <summary>The template expression of a release-scoped object name.</summary>
    public static string ObjectName(string name) => $"include \"phase4.objectName\" (dict \"context\" $ \"name\" \"{name}\")";

    /// <summary>The workload's values: <c>index</c> for names Go templates cannot write as a field (aspire-dashboard).</summary>
    public static string ValuesOf(KubernetesWorkload workload) => ValuesOf(workload.Name);

    public static string ValuesOf(string workload) =>
        workload.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"$.Values.{workload}" : $"(index $.Values \"{workload}\")";
}
