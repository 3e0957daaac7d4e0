using System.Globalization;
using System.Text;
using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// The chart's <c>secrets.yaml</c>: the deployment inputs (passwords, the JWT key pair, an operator's API key), each
/// from its value in <c>secrets.*</c>, else from the Secret <c>&lt;release&gt;-generated-secrets</c> an earlier install
/// left (Helm's <c>lookup</c>), else generated. That Secret keeps them, with <c>helm.sh/resource-policy: keep</c> so an
/// uninstall leaves it beside the database volume the password was set on; each workload's Secret is then rendered from
/// the inputs, unless the operator names an <c>existingSecret</c>.
/// </summary>
internal static class ChartSecrets
{
    public const string StoreName = "generated-secrets";

    /// <summary>The input's key under <c>secrets:</c> in values (camelCase of the AppHost parameter name).</summary>
    public static string ValueKey(DeploymentInput input)
    {
        var words = input.ParameterName.Split('-', '_');
        return words[0] + string.Concat(words.Skip(1).Select(word => word.Length == 0 ? "" : char.ToUpperInvariant(word[0]) + word[1..]));
    }

    /// <summary>The key in <c>.Values</c> under which one render keeps the resolved inputs (see <see cref="InputsTemplate"/>).</summary>
    public const string ResolvedKey = "phase4ResolvedInputs";

    /// <summary>
    /// Template lines that bind <c>$inputs</c> to the render's resolved inputs: every template that needs a secret value
    /// (this file, the pod templates' <c>checksum/secret</c>, the upgrade hook's Secret) starts with them.
    /// </summary>
    public const string BindInputs = "{{- include \"phase4.inputs\" $ }}\n{{- $inputs := index $.Values \"" + ResolvedKey + "\" }}\n";

    /// <summary>
    /// <c>templates/_inputs.tpl</c>: the named template <c>phase4.inputs</c> resolves the inputs once per render and keeps
    /// them in <c>.Values</c>, which every template of a chart shares (helm/helm pkg/engine/engine.go: one values map per
    /// chart, <c>vals := tpls[filename].vals</c>). Without it each <c>include</c> of secrets.yaml generated new random
    /// values on install, so the pod templates' <c>checksum/secret</c> hashed values that were never stored, and the
    /// first upgrade (which reads the stored ones back with <c>lookup</c>) restarted every pod that reads a Secret.
    /// </summary>
    public static string InputsTemplate(KubernetesApp app, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("{{/* ").Append(line).Append(" */}}\n");
        }

        text.Append("{{- define \"phase4.inputs\" -}}\n");
        text.Append(CultureInfo.InvariantCulture, $"{{{{- if not (hasKey .Values \"{ResolvedKey}\") }}}}\n");
        text.Append(CultureInfo.InvariantCulture, $"{{{{- $stored := (lookup \"v1\" \"Secret\" .Release.Namespace ({TemplateValues.ObjectName(StoreName)})).data | default dict }}}}\n");
        text.Append("{{- $inputs := dict }}\n");
        // Derived inputs (a public key) after the ones they derive from.
        foreach (var input in app.Inputs.OrderBy(input => input.Generator is PublicKeyOfGenerator))
        {
            text.Append(Resolve(input)).Append('\n');
        }

        text.Append(CultureInfo.InvariantCulture, $"{{{{- $_ := set .Values \"{ResolvedKey}\" $inputs }}}}\n");
        text.Append("{{- end }}\n{{- end }}\n");
        return text.ToString();
    }

    public static string Template(KubernetesApp app, IEnumerable<string> header)
    {
        var text = new StringBuilder(BindInputs);
        // Nothing is generated or kept when the External Secrets Operator brings the values; the header goes with the
        // store, so a file rendering no Secret is empty (a document of comments alone parses as nothing at all).
        text.Append(ManifestWriter.Render(Store(app), header, $"not {TemplateValues.ExternalSecretsValues}.enabled"));
        foreach (var workload in app.Workloads.Where(w => w.AllSecretSettings.Count > 0))
        {
            text.Append(ManifestWriter.Render(WorkloadSecret(workload, new TemplateValues()), [], SecretCondition(workload), follows: true));
        }

        return text.ToString();
    }

    /// <summary>
    /// When the chart renders the workload's Secret: its own values (no external secrets) and <see cref="OwnSecret"/>. A
    /// workload whose every secret exists only for the chart's database (the migrator's) keeps the chart's Secret, empty,
    /// with an external database: the operator has nothing to fill it from (an ExternalSecret needs data,
    /// external-secrets apis/externalsecrets/v1/externalsecret_validator.go), and its pods still name it.
    /// </summary>
    public static string SecretCondition(KubernetesWorkload workload) => OnlyForInClusterDatabase(workload)
        ? $"and (or (not {TemplateValues.ExternalSecretsValues}.enabled) {TemplateValues.ExternalDatabase}.enabled) ({OwnSecret(workload)})"
        : $"and (not {TemplateValues.ExternalSecretsValues}.enabled) ({OwnSecret(workload)})";

    /// <summary>When the chart renders the workload's ExternalSecret instead.</summary>
    public static string ExternalSecretCondition(KubernetesWorkload workload) => OnlyForInClusterDatabase(workload)
        ? $"and {TemplateValues.ExternalSecretsValues}.enabled (not {TemplateValues.ExternalDatabase}.enabled) ({OwnSecret(workload)})"
        : $"and {TemplateValues.ExternalSecretsValues}.enabled ({OwnSecret(workload)})";

    private static bool OnlyForInClusterDatabase(KubernetesWorkload workload) =>
        workload.Name != workload.Database.Name && workload.AllSecretSettings.All(workload.InClusterDatabaseSettings.Contains);

    /// <summary>The workload's Secret is the chart's to provide: no <c>existingSecret</c> (and, for its database, no external one).</summary>
    private static string OwnSecret(KubernetesWorkload workload)
    {
        var condition = $"not {TemplateValues.ValuesOf(workload)}.existingSecret";
        return workload.Name == workload.Database.Name ? $"and ({condition}) (not {TemplateValues.ExternalDatabase}.enabled)" : condition;
    }

    /// <summary><c>templates/external-secrets.yaml</c>: each workload's ExternalSecret, with <c>externalSecrets.enabled</c>.</summary>
    public static string ExternalSecretsTemplate(KubernetesApp app, IReadOnlyList<string> header) => string.Concat(app.Workloads
        .Where(workload => workload.AllSecretSettings.Count > 0)
        .Select((workload, index) => ManifestWriter.Render(ExternalSecrets.For(workload, new TemplateValues()), index == 0 ? header : [], ExternalSecretCondition(workload), follows: index > 0)));

    /// <summary>The template lines that set <c>$inputs.&lt;parameter&gt;</c>.</summary>
    private static string Resolve(DeploymentInput input)
    {
        var given = $".Values.secrets.{ValueKey(input)}";
        var stored = Stored(input.ParameterName);
        if (input.Generator is PublicKeyOfGenerator derived)
        {
            // Kept while the private key it belongs to is the stored one; otherwise derived from the key in use. Helm's
            // template functions cannot write a bare public key, so it is a certificate of the key (the services read
            // the public key from either).
            var privateKey = $"(get $inputs \"{derived.PrivateKeyParameter}\")";
            return $$$"""
                {{- $value := {{{given}}} }}
                {{- if and (not $value) (eq {{{Stored(derived.PrivateKeyParameter)}}} {{{privateKey}}}) }}
                {{- $value = {{{stored}}} }}
                {{- end }}
                {{- if not $value }}
                {{- $value = (genSelfSignedCertWithKey "{{{input.ParameterName}}}" nil nil 36500 {{{privateKey}}}).Cert }}
                {{- end }}
                {{- $_ := set $inputs "{{{input.ParameterName}}}" $value }}
                """;
        }

        var generated = input.Generator switch
        {
            RandomPasswordGenerator password => $" | default (randAlphaNum {password.MinLength})",
            EcPrivateKeyGenerator => " | default (genPrivateKey \"ecdsa\")",
            DefaultValueGenerator fixedValue => $" | default {System.Text.Json.JsonSerializer.Serialize(fixedValue.Value)}",
            _ => "",
        };
        return $"{{{{- $_ := set $inputs \"{input.ParameterName}\" ({given} | default {stored}{generated}) }}}}";
    }

    private static string Stored(string parameter) => $"(get $stored \"{parameter}\" | b64dec)";

    private static Mapping Store(KubernetesApp app) => ObjectWriter.ToNode(new Secret(
        new ObjectMeta(
            ChartTemplate.Value(TemplateValues.ObjectName(StoreName)),
            new TemplateValues().AppLabels("secrets"),
            // Kept by `helm uninstall`, like the StatefulSet's volume whose database was initialised with these values.
            Map(("helm.sh/resource-policy", Text("keep")))),
        "Opaque",
        Map([.. app.Inputs.Select(input => (Entry)(input.ParameterName, ChartTemplate.Value($"get $inputs \"{input.ParameterName}\" | b64enc | quote")))])));

    public static Mapping WorkloadSecret(KubernetesWorkload workload, TemplateValues values) => ObjectWriter.ToNode(new Secret(
        WorkloadObjects.ObjectMeta(workload, workload.SecretName, values),
        "Opaque",
        Map([.. workload.AllSecretSettings.Select(setting =>
        {
            Entry entry = (setting.Name, ChartTemplate.Value(
                TemplateValues.Print(setting.Value, input => $"(get $inputs \"{input.ParameterName}\")") + " | b64enc | quote"));
            // What exists only for the chart's own database: its connection strings and its roles' passwords.
            return workload.InClusterDatabaseSettings.Contains(setting) ? ChartTemplate.If($"not {TemplateValues.ExternalDatabase}.enabled", entry) : entry;
        })])));
}
