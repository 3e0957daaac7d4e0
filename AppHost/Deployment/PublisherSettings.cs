using Microsoft.Extensions.Configuration;
using Phase4.Publisher;

namespace Phase4.AppHost.Deployment;

/// <summary>
/// The publisher's options as AppHost configuration under <c>Publisher:</c>, the way Aspire hands settings to an AppHost:
/// after <c>--</c> on the aspire command line (<c>aspire deploy -- --Publisher:Overlay production</c>), as environment
/// variables (<c>Publisher__Overlay=production</c>), or in <c>AppHost/appsettings.{environment}.json</c>, which
/// <c>aspire deploy -e NAME</c> selects. They become the publisher's own command line, so one parser checks them.
/// </summary>
internal static class PublisherSettings
{
    public const string Section = "Publisher";

    /// <summary>Each key, the publisher option it sets, and whether that option is a switch (then true or false).</summary>
    public static IReadOnlyList<(string Key, string Option, bool IsSwitch)> Keys { get; } =
    [
        ("Overlay", "--overlay", false),
        ("Registry", "--registry", false),
        ("Push", "--push", true),
        ("Tag", "--tag", false),
        ("Engine", "--engine", false),
        ("KubeContext", "--kube-context", false),
        ("Yes", "--yes", true),
        ("Host", "--host", false),
        ("TlsSecret", "--tls-secret", false),
        ("IngressClass", "--ingress-class", false),
        ("StorageClass", "--storage-class", false),
        ("PullSecret", "--pull-secret", false),
        ("CreatePullSecret", "--create-pull-secret", true),
        ("Gateway", "--gateway", false),
        ("GatewayNamespace", "--gateway-namespace", false),
        ("GatewaySection", "--gateway-section", false),
        ("CertIssuer", "--cert-issuer", false),
        ("ClusterIssuer", "--cluster-issuer", false),
        ("Purge", "--purge", true),
        ("DryRun", "--dry-run", true),
        ("IncludeDashboard", "--include-dashboard", true),
        ("AiProvider", "--ai-provider", false),
        ("AiEndpoint", "--ai-endpoint", false),
        ("AiModel", "--ai-model", false),
        ("Database", "--database", false),
        ("DatabaseCidr", "--database-cidr", false),
        ("DatabasePort", "--database-port", false),
        ("DatabaseSecret", "--database-secret", false),
        ("DatabaseMaxConnections", "--database-max-connections", false),
        ("DatabaseReservedConnections", "--database-reserved-connections", false),
        ("Namespace", "--namespace", false),
        ("Secrets", "--secrets", false),
        ("SecretStore", "--secret-store", false),
        ("SecretStoreKind", "--secret-store-kind", false),
        ("RemoteKeyPrefix", "--remote-key-prefix", false),
        ("Format", "--format", false),
        ("Revision", "--revision", false),
    ];

    /// <summary>The options set under <c>Publisher:</c>; an unknown key or a switch that is not true or false fails, naming it.</summary>
    public static CommandLine Read(IConfiguration configuration)
    {
        var arguments = new List<string>();
        foreach (var setting in configuration.GetSection(Section).GetChildren())
        {
            var (key, option, isSwitch) = Keys.FirstOrDefault(entry => string.Equals(entry.Key, setting.Key, StringComparison.OrdinalIgnoreCase));
            if (key is null)
            {
                throw new ArgumentException($"{Section}:{setting.Key} is not a publisher option; the options are {string.Join(", ", Keys.Select(entry => entry.Key))}.");
            }

            if (!isSwitch)
            {
                arguments.AddRange([option, setting.Value ?? ""]);
            }
            else if (bool.TryParse(setting.Value, out var on))
            {
                if (on)
                {
                    arguments.Add(option);
                }
            }
            else
            {
                throw new ArgumentException($"{Section}:{key} is true or false; got '{setting.Value}'.");
            }
        }

        return CommandLine.Parse(arguments);
    }
}
