using System.Text.Encodings.Web;
using System.Text.Json;
using Phase4.Publisher.Model;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// The chart's values: every object named after the release (<c>phase4.objectName</c>), labelled with it, and every
/// setting an operator may change read from <c>values.yaml</c> (see <see cref="ChartValuesFile"/> for the names).
/// </summary>
internal sealed class TemplateValues(ChartTemplate template) : ObjectValues
{
    public override IReadOnlyList<EnvironmentVariable> SecretSettings(KubernetesWorkload workload) => workload.AllSecretSettings;

    public override YamlNode Name(string name) => template.Value(ObjectName(name));

    public override YamlNode SecretName(KubernetesWorkload workload) =>
        template.Value($"{ValuesOf(workload)}.existingSecret | default ({ObjectName(workload.SecretName)})");

    public override YamlMappingNode Labels(KubernetesWorkload workload) => Map(
        ("app.kubernetes.io/name", Text(workload.Name)),
        ("app.kubernetes.io/instance", template.Value("$.Release.Name")),
        ("app.kubernetes.io/component", Text(workload.Component)),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)),
        // The version of what runs: the tag of the workload's image (an app release leaves Postgres' objects alone).
        ("app.kubernetes.io/version", template.Value(workload.Source.IsBuiltHere
            ? $"{ValuesOf(workload)}.image.tag | default $.Values.imageTag | default $.Chart.AppVersion | quote"
            : $"{ValuesOf(workload)}.image.tag | quote")),
        ("app.kubernetes.io/managed-by", template.Value("$.Release.Service")),
        ("helm.sh/chart", template.Value("include \"phase4.chart\" $")));

    public override YamlMappingNode AppLabels(string name) => Map(
        ("app.kubernetes.io/name", Text(name)),
        ("app.kubernetes.io/instance", template.Value("$.Release.Name")),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)),
        ("app.kubernetes.io/managed-by", template.Value("$.Release.Service")),
        ("helm.sh/chart", template.Value("include \"phase4.chart\" $")));

    public override YamlMappingNode SelectorLabels(string workload) => Map(
        ("app.kubernetes.io/name", Text(workload)),
        ("app.kubernetes.io/instance", template.Value("$.Release.Name")));

    public override YamlMappingNode AppSelectorLabels() => Map(
        ("app.kubernetes.io/instance", template.Value("$.Release.Name")),
        ("app.kubernetes.io/part-of", Text(KubernetesApp.Instance)));

    public override YamlNode Image(KubernetesWorkload workload) =>
        template.Value($"include \"phase4.image\" (dict \"context\" $ \"image\" {ValuesOf(workload)}.image \"own\" {(workload.Source.IsBuiltHere ? "true" : "false")}) | quote");

    public override YamlNode PullPolicy(KubernetesWorkload workload) => template.Value("$.Values.imagePullPolicy");

    public override IEnumerable<(string Key, YamlNode? Value)> ImagePullSecrets(KubernetesWorkload workload) =>
        template.With("$.Values.imagePullSecrets", "imagePullSecrets");

    public override IEnumerable<(string Key, YamlNode? Value)> Replicas(KubernetesWorkload workload) => workload.Scales
        ? template.If($"not {ValuesOf(workload)}.autoscaling.enabled", ("replicas", template.Value($"{ValuesOf(workload)}.replicas")))
        : [("replicas", Number(1))];

    public override YamlNode MinReplicas(KubernetesWorkload workload) => template.Value($"{ValuesOf(workload)}.autoscaling.minReplicas");

    public override YamlNode MaxReplicas(KubernetesWorkload workload) => template.Value($"{ValuesOf(workload)}.autoscaling.maxReplicas");

    public override YamlNode TargetCpuUtilization(KubernetesWorkload workload) =>
        template.Value($"{ValuesOf(workload)}.autoscaling.targetCPUUtilizationPercentage");

    public override IEnumerable<(string Key, YamlNode? Value)> TopologySpread(KubernetesWorkload workload)
    {
        if (!workload.Scales)
        {
            return [];
        }

        var spread = $"{ValuesOf(workload)}.topologySpread";
        return template.If($"{spread}.enabled", ("topologySpreadConstraints", List(template.Range($"{spread}.topologyKeys", Map(
            ("maxSkew", template.Value($"{spread}.maxSkew")),
            ("topologyKey", template.Value(". | quote")),
            ("whenUnsatisfiable", template.Value($"{spread}.whenUnsatisfiable")),
            ("labelSelector", Map(("matchLabels", SelectorLabels(workload.Name)))))))));
    }

    /// <summary>
    /// Hashes of the data of the workload's ConfigMap and Secret: new settings or secrets change them, so <c>helm
    /// upgrade</c> rolls exactly the pods that read them (labels are left out: a new image tag alone changes nothing here).
    /// </summary>
    public override IEnumerable<(string Key, YamlNode? Value)> PodAnnotations(KubernetesWorkload workload) =>
        [("annotations", Map(
            ("checksum/config", template.Value($"(include (print $.Template.BasePath \"/{ChartWriter.ConfigTemplate(workload)}\") $ | fromYaml).data | toJson | sha256sum | quote")),
            ("checksum/secret", workload.AllSecretSettings.Count > 0
                ? template.Value($"include \"phase4.secretChecksum\" (dict \"context\" $ \"name\" \"{workload.SecretName}\") | quote")
                : null)))];

    public override YamlNode Resources(KubernetesWorkload workload) => template.Yaml($"{ValuesOf(workload)}.resources");

    public override YamlNode StorageSize(KubernetesWorkload workload) => template.Value($"{ValuesOf(workload)}.persistence.size | quote");

    public override IEnumerable<(string Key, YamlNode? Value)> StorageClass(KubernetesWorkload workload) =>
        template.With($"{ValuesOf(workload)}.persistence.storageClassName", "storageClassName");

    public override YamlNode ServiceType(KubernetesWorkload workload) =>
        workload.IsEntryPoint ? template.Value("$.Values.entryServiceType") : Text("ClusterIP");

    public override IEnumerable<(string Key, YamlNode? Value)> IngressClass() => template.With("$.Values.ingress.className", "ingressClassName");

    public override IEnumerable<(string Key, YamlNode? Value)> IngressTls() => template.If("$.Values.ingress.tls.enabled",
        ("tls", List(Map(("hosts", List(IngressHost())), ("secretName", template.Value("$.Values.ingress.tls.secretName | quote"))))));

    public override YamlNode IngressHost() => template.Value("$.Values.ingress.host | quote");

    /// <summary><c>database.external.*</c>: whether the database is the operator's, and how the chart reaches it.</summary>
    public const string ExternalDatabase = "$.Values.database.external";

    public override IEnumerable<(string Key, YamlNode? Value)> DatabaseConnectionEnv(KubernetesWorkload workload) =>
        workload.DatabaseConnections.Count == 0
            ? []
            : template.If($"{ExternalDatabase}.enabled", ("env", LiteralValues.DatabaseSecretEnv(workload,
                template.Value($"required \"database.external.existingSecret is required with database.external.enabled\" {ExternalDatabase}.existingSecret"))));

    public override IEnumerable<YamlNode> DatabaseEgress(KubernetesWorkload database, YamlNode inCluster) =>
        template.IfElse($"not {ExternalDatabase}.enabled", inCluster, LiteralValues.ExternalDatabaseRule(
            template.Value($"required \"database.external.cidr is required with database.external.enabled\" {ExternalDatabase}.cidr | quote"),
            template.Value($"{ExternalDatabase}.port")));

    public override IEnumerable<YamlNode> EntryPointIngress(KubernetesWorkload workload, YamlNode fromAnywhere) =>
        template.IfElse("$.Values.ingress.enabled",
            NetworkPolicies.FromIngressControllers(workload, template.Yaml("$.Values.ingress.controllerNamespaces")), fromAnywhere);

    public override IEnumerable<YamlNode> BackupIngress(KubernetesWorkload database) =>
        template.IfItems("$.Values.backup.enabled", DatabaseBackup.DatabaseIngressRule(database, this));

    public override YamlNode Argument(KubernetesWorkload workload, ValueTemplate value) =>
        value.Parts is [LiteralPart { Text: var text }] && text.StartsWith(ConnectionBudget.MaxConnectionsArgument, StringComparison.Ordinal)
            ? template.Value($"print \"{ConnectionBudget.MaxConnectionsArgument}\" $.Values.database.maxConnections | quote")
            : template.Value(Print(value, _ => throw new InvalidOperationException($"{workload.Name}: a secret argument belongs in the Secret.")) + " | quote");

    public override YamlNode Setting(KubernetesWorkload workload, string key, ValueTemplate value)
    {
        if (ClusterSettings.Tunable.Contains(key))
        {
            var configured = $"index {ValuesOf(workload)}.settings \"{key}\"";
            // The public origin may call the MCP server: by default the Ingress's, when there is one.
            return key == ClusterSettings.AllowedOriginsKey
                ? template.Value($"{configured} | default (ternary {PublicOrigin} \"\" $.Values.ingress.enabled) | quote")
                : template.Value($"{configured} | quote");
        }

        return key switch
        {
            // The connection budget over the chart's own values (ConnectionBudget.ChartHelper).
            ConnectionBudget.PoolSizeKey => template.Value($"include \"{ChartWriter.ChartName}.maxPoolSize\" $ | quote"),
            // Believed only with the chart's Ingress in front (a proxy that sets X-Forwarded-For), from its pods' network.
            ClusterSettings.TrustedProxiesKey => template.Value("ternary $.Values.ingress.trustedProxies \"\" $.Values.ingress.enabled | quote"),
            ClusterSettings.PublicOriginKey => template.Value($"ternary {PublicOrigin} \"\" $.Values.ingress.enabled | quote"),
            _ => template.Value(Print(value, _ => throw new InvalidOperationException($"{workload.Name}.{key} holds a secret: it belongs in the Secret.")) + " | quote"),
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

    /// <summary>The Ingress's origin: https unless its TLS is off.</summary>
    private const string PublicOrigin = "(printf \"%s://%s\" (ternary \"https\" \"http\" $.Values.ingress.tls.enabled) $.Values.ingress.host)";

    /// <summary>The template expression of a release-scoped object name.</summary>
    public static string ObjectName(string name) => $"include \"phase4.objectName\" (dict \"context\" $ \"name\" \"{name}\")";

    /// <summary>The workload's values: <c>index</c> for names Go templates cannot write as a field (aspire-dashboard).</summary>
    public static string ValuesOf(KubernetesWorkload workload) => ValuesOf(workload.Name);

    public static string ValuesOf(string workload) =>
        workload.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $"$.Values.{workload}" : $"(index $.Values \"{workload}\")";
}
