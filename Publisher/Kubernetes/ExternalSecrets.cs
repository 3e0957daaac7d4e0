using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Kubernetes.Manifest.Objects;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// <c>generate --secrets external</c>: each workload's Secret written by the External Secrets Operator from the
/// operator's store instead of generated here. The store holds one key per deployment input (prefix + the AppHost
/// parameter's name); the Secret's keys are the ones the workload reads, each a template (engine v2) over those inputs,
/// so a connection string embedding a password is composed in the cluster (external-secrets docs/guides/templating.md).
/// </summary>
internal static class ExternalSecrets
{
    /// <summary>How often the operator reads the store again (the CRD's default, <c>1h0m0s</c>, written out).</summary>
    public const string DefaultRefreshInterval = "1h";

    /// <summary>
    /// The ExternalSecrets' own component label (the Secrets they write carry the workload's): <c>apply</c> applies them
    /// first, by it, and waits for the operator (<see cref="Deploy.DeployCommands.ExternalSecretsFirst"/>).
    /// </summary>
    public const string Component = "secrets";

    public static Mapping For(KubernetesWorkload workload, ObjectValues values)
    {
        var settings = values.SecretSettings(workload);
        bool InClusterOnly(IEnumerable<EnvironmentVariable> users) => users.All(workload.InClusterDatabaseSettings.Contains);
        var data = settings.SelectMany(setting => setting.Value.Inputs).Distinct().OrderBy(input => input.ParameterName, StringComparer.Ordinal)
            .Select(input =>
            {
                var item = new ExternalSecretData(SecretKey(input), new ExternalSecretDataRemoteRef(values.RemoteKey(input)));
                // An input only the chart's own database needs (a role's password) is read only while that database is used.
                return InClusterOnly(settings.Where(setting => setting.Value.Inputs.Contains(input))) ? values.ForInClusterDatabase(item) : (Item<ExternalSecretData>)item;
            })
            .ToList();
        var template = Map([.. settings.Select(setting =>
        {
            Entry entry = (setting.Name, values.SecretTemplate(Referencing(setting.Value)));
            return InClusterOnly([setting]) ? values.ForInClusterDatabase(entry) : entry;
        })]);
        var labels = values.Labels(workload);
        return ObjectWriter.ToNode(new ExternalSecret(
            new ObjectMeta(values.Name(workload.SecretName), Map([.. labels.Entries.Select(entry =>
                entry is Field { Key: "app.kubernetes.io/component" } ? (Entry)("app.kubernetes.io/component", Text(Component)) : entry)])),
            new ExternalSecretSpec(
                values.SecretRefreshInterval(),
                values.SecretStore(),
                new ExternalSecretTarget(values.SecretName(workload), "Owner",
                    // Labelled like the workload's other objects, so `destroy` and the chart's selectors find the Secret.
                    new ExternalSecretTemplate("v2", "Opaque", new ExternalSecretTemplateMetadata(labels), template)),
                data)));
    }

    /// <summary>The name an input is read as in the template: the camelCase of its parameter (external-secrets recommends camelCase keys).</summary>
    public static string SecretKey(DeploymentInput input) => Helm.ChartSecrets.ValueKey(input);

    /// <summary>
    /// The value with each input a template reference (<c>{{ .key }}</c>; <c>index</c> for a key Go cannot write as a
    /// field) and any <c>{{</c> of its literal text escaped, so the operator's template engine reproduces it.
    /// </summary>
    private static ValueTemplate Referencing(ValueTemplate value) => new([.. value.Parts.Select(part => part switch
    {
        LiteralPart literal => new LiteralPart(literal.Text.Replace("{{", "{{ \"{{\" }}", StringComparison.Ordinal)),
        InputPart reference => new LiteralPart(SecretKey(reference.Input) is var key && key.All(char.IsAsciiLetterOrDigit) && char.IsAsciiLetter(key[0])
            ? $"{{{{ .{key} }}}}"
            : $"{{{{ index . \"{key}\" }}}}"),
        _ => part,
    })]);

    /// <summary>The store's keys this app reads: every deployment input (docs/security.md lists them).</summary>
    public static IEnumerable<string> RemoteKeys(KubernetesApp app) =>
        app.Inputs.Select(input => app.Options.RemoteKeyPrefix + input.ParameterName).Order(StringComparer.Ordinal);
}
