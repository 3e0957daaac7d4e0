using Phase4.Publisher.Model;
using Phase4.Publisher.Yaml;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// Writes the Helm chart (<c>Chart/</c>): the base's objects, built by the same code, with the settings that differ
/// between clusters taken from values — image registry and tag, pull policy, autoscaling bounds, volume size, the
/// entry point's Service type, an Ingress — and each workload's Secret either rendered from
/// <c>&lt;name&gt;.secrets</c> values or replaced by an <c>existingSecret</c>. The release namespace is Helm's.
/// </summary>
internal static class ChartWriter
{
    public const string Folder = "Chart";

    public static SortedDictionary<string, string> Write(KubernetesApp app)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [$"{Folder}/Chart.yaml"] = YamlText.Write(Map(
                ("apiVersion", Text("v2")),
                ("name", Text("phase4")),
                ("description", Text("Phase4 to-do app with its AI chat assistant, generated from the AppHost model")),
                ("type", Text("application")),
                ("version", Text("0.1.0")),
                ("appVersion", Text(KubernetesApp.PlaceholderTag))), Header),
            [$"{Folder}/values.yaml"] = YamlText.Write(Values(app), Header),
        };

        void Add(string name, YamlMappingNode node, string? condition = null)
        {
            var text = Parameterize(YamlText.Write(node, Header), app);
            files[$"{Folder}/templates/{name}.yaml"] = condition is null ? text : $"{{{{- if {condition} }}}}\n{text}{{{{- end }}}}\n";
        }

        Add("default-deny", NetworkPolicies.DefaultDeny());
        Add("allow-dns", NetworkPolicies.AllowDns());
        foreach (var workload in app.Workloads)
        {
            Add($"{workload.Name}-workload", WorkloadObjects.Workload(workload));
            Add($"{workload.Name}-service", WorkloadObjects.Service(workload));
            Add($"{workload.Name}-network-policy", NetworkPolicies.For(workload, app));
            Add($"{workload.Name}-config", ConfigMap(workload));
            if (workload.SecretSettings.Count > 0)
            {
                Add($"{workload.Name}-secret", Secret(workload), $"not {ValuesOf(workload)}.existingSecret");
            }

            if (workload.Scales)
            {
                Add($"{workload.Name}-autoscaler", WorkloadObjects.Autoscaler(workload));
                Add($"{workload.Name}-disruption-budget", WorkloadObjects.DisruptionBudget(workload));
            }
        }

        if (app.EntryPoint is { } entry)
        {
            Add("ingress", KustomizeWriter.Ingress(entry), ".Values.ingress.enabled");
        }

        return files;
    }

    private static readonly string[] Header =
    [
        "Generated from the AppHost model by the Phase4 publisher; do not edit. Regenerate with:",
        "  dotnet run --project Publisher -- generate",
    ];

    private static YamlMappingNode Values(KubernetesApp app)
    {
        var values = Map(
            ("imageRegistry", Text("")),
            ("imageTag", Text(KubernetesApp.PlaceholderTag)),
            ("imagePullPolicy", Text("IfNotPresent")),
            ("autoscaling", Map(("minReplicas", Number(1)), ("maxReplicas", Number(5)))),
            ("entryServiceType", Text("ClusterIP")),
            ("ingress", Map(
                ("enabled", Flag(false)),
                ("host", Text(KustomizeWriter.ProductionHost)),
                ("tlsSecretName", Text(KustomizeWriter.TlsSecretName)))));
        foreach (var workload in app.Workloads)
        {
            var settings = TunableSettings(workload).ToList();
            values.Add(workload.Name, Map(
                ("settings", settings.Count > 0 ? Labels(settings) : null),
                ("storage", workload.IsStateful ? Text(WorkloadObjects.DefaultVolumeSize) : null),
                ("existingSecret", workload.SecretSettings.Count > 0 ? Text("") : null),
                ("secrets", workload.SecretSettings.Count > 0 ? Map(workload.SecretSettings.Select(s => (s.Name, (YamlNode?)Text(""))).ToArray()) : null)));
        }

        return values;
    }

    /// <summary>The workload's settings an operator may change per release (see <see cref="ClusterSettings.Tunable"/>).</summary>
    private static IEnumerable<KeyValuePair<string, string>> TunableSettings(KubernetesWorkload workload) =>
        workload.Settings.Where(setting => ClusterSettings.Tunable.Contains(setting.Key));

    /// <summary>The workload's values: <c>index</c> for names Go templates cannot write as a field (aspire-dashboard).</summary>
    private static string ValuesOf(KubernetesWorkload workload) =>
        workload.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? $".Values.{workload.Name}" : $"(index .Values \"{workload.Name}\")";

    private static YamlMappingNode ConfigMap(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("v1")),
        ("kind", Text("ConfigMap")),
        ("metadata", WorkloadObjects.Metadata(workload, workload.ConfigName)),
        ("data", Labels(workload.Settings)));

    private static YamlMappingNode Secret(KubernetesWorkload workload) => Map(
        ("apiVersion", Text("v1")),
        ("kind", Text("Secret")),
        ("metadata", WorkloadObjects.Metadata(workload, workload.SecretName)),
        ("type", Text("Opaque")),
        ("stringData", Map(workload.SecretSettings.Select(s => (s.Name, (YamlNode?)Text(SecretMarker(workload, s.Name)))).ToArray())));

    private static string SecretMarker(KubernetesWorkload workload, string key) => $"@secret:{workload.Name}:{key}";

    /// <summary>Replaces the base's cluster-specific values with template expressions, line by line.</summary>
    private static string Parameterize(string text, KubernetesApp app)
    {
        var lines = text.Split('\n').Select(line =>
        {
            var indent = line[..(line.Length - line.TrimStart().Length)];
            var trimmed = line.TrimStart();
            foreach (var workload in app.Workloads)
            {
                if (workload.Source.IsBuiltHere && trimmed == $"image: {workload.ImageReference}")
                {
                    return $"{indent}image: \"{{{{ .Values.imageRegistry }}}}{workload.ImageName}:{{{{ .Values.imageTag }}}}\"";
                }

                if (trimmed == $"name: {workload.SecretName}" && indent.Length > 4)
                {
                    // The pod's secretRef: the chart's own Secret or the operator's existing one.
                    return $"{indent}name: {{{{ {ValuesOf(workload)}.existingSecret | default \"{workload.SecretName}\" }}}}";
                }

                foreach (var setting in workload.SecretSettings)
                {
                    var marker = SecretMarker(workload, setting.Name);
                    if (trimmed.EndsWith($"\"{marker}\"", StringComparison.Ordinal))
                    {
                        var value = $"(index {ValuesOf(workload)}.secrets \"{setting.Name}\")";
                        // A key the operator may leave empty (the AI key of a local model server) is not required.
                        return setting.Value.Inputs.All(input => input.Generator is OperatorSuppliedInput)
                            ? $"{indent}{setting.Name}: {{{{ {value} | quote }}}}"
                            : $"{indent}{setting.Name}: {{{{ required \"{workload.Name}.secrets.{setting.Name} (or {workload.Name}.existingSecret) is required\" {value} | quote }}}}";
                    }
                }

                if (text.Contains($"\n  name: {workload.ConfigName}\n", StringComparison.Ordinal))
                {
                    if (TunableSettings(workload).FirstOrDefault(setting => trimmed.StartsWith(setting.Key + ":", StringComparison.Ordinal)) is { Key: not null } tunable)
                    {
                        return $"{indent}{tunable.Key}: {{{{ index {ValuesOf(workload)}.settings \"{tunable.Key}\" | quote }}}}";
                    }

                    if (trimmed.StartsWith("TRUST_PROXY:", StringComparison.Ordinal))
                    {
                        // Trusted exactly when the chart's Ingress (a proxy that sets X-Forwarded-For) is in front.
                        return $"{indent}TRUST_PROXY: {{{{ ternary \"true\" \"false\" .Values.ingress.enabled | quote }}}}";
                    }
                }

                if (workload.IsStateful && trimmed == $"storage: \"{WorkloadObjects.DefaultVolumeSize}\"")
                {
                    return $"{indent}storage: {{{{ {ValuesOf(workload)}.storage }}}}";
                }
            }

            return trimmed switch
            {
                "imagePullPolicy: IfNotPresent" => $"{indent}imagePullPolicy: {{{{ .Values.imagePullPolicy }}}}",
                "minReplicas: 1" => $"{indent}minReplicas: {{{{ .Values.autoscaling.minReplicas }}}}",
                "maxReplicas: 5" => $"{indent}maxReplicas: {{{{ .Values.autoscaling.maxReplicas }}}}",
                "type: ClusterIP" when app.EntryPoint is { } entry && text.Contains($"\n  name: {entry.Name}\n", StringComparison.Ordinal)
                    => $"{indent}type: {{{{ .Values.entryServiceType }}}}",
                "- phase4.example.com" => $"{indent}- {{{{ .Values.ingress.host | quote }}}}",
                "host: phase4.example.com" => $"{indent}host: {{{{ .Values.ingress.host | quote }}}}",
                "secretName: phase4-tls" => $"{indent}secretName: {{{{ .Values.ingress.tlsSecretName }}}}",
                _ => line,
            };
        });
        return string.Join('\n', lines);
    }
}
