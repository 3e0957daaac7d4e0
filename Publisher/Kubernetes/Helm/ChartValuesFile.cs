using System.Text;
using System.Text.Json;
using Phase4.Publisher.Model;
using Phase4.Publisher.Kubernetes.Manifest;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// The chart's <c>values.yaml</c> and <c>values.schema.json</c>, from one description of every value: release-wide
/// settings (images, Ingress, secrets) and one section per workload named as its AppHost resource.
/// </summary>
internal static class ChartValuesFile
{
    public static ObjectValue Describe(KubernetesApp app) => new(
    [
        ("nameOverride", new StringValue("", "Replaces the chart's name in object names.")),
        ("fullnameOverride", new StringValue("", "Replaces <release>-<chart> as the prefix of every object's name.")),
        ("imageRegistry", new StringValue("", "Registry (and path) of the app's own images, e.g. registry.example.com: images are <imageRegistry>/phase4/<name>:<imageTag>.")),
        ("imageTag", new StringValue("", "Tag of the app's own images: the one `Publisher build` printed (required; the chart's appVersion is a placeholder).")),
        ("imagePullPolicy", new StringValue(WorkloadDefaults.PullPolicy, "Pull policy of every container.", ["Always", "IfNotPresent", "Never"])),
        ("imagePullSecrets", new KubernetesValue(List(), "array", "Secrets for pulling from a private registry, e.g. [{name: regcred}].")),
        ("entryServiceType", new StringValue("ClusterIP", $"Service type of the entry point ({app.EntryPoint?.Name ?? "none"}): NodePort or LoadBalancer to reach it without the Ingress.", ["ClusterIP", "NodePort", "LoadBalancer"])),
        ("ingress", new ObjectValue(
        [
            ("enabled", new BooleanValue(false, "An Ingress in front of the entry point; the frontend then believes its X-Forwarded-For (trustedProxies), admits only its controller's namespaces (controllerNamespaces), and the MCP server allows its origin.")),
            ("controllerNamespaces", new StringListValue(ClusterSettings.IngressControllerNamespaces, "With the Ingress: the namespaces whose pods (your Ingress controller's) may reach the frontend; nothing else may.")),
            ("trustedProxies", new StringValue(ClusterSettings.PrivateNetworks, "With the Ingress: the addresses or CIDR ranges (comma-separated; your pod CIDR) whose X-Forwarded-For the frontend believes.")),
            ("className", new StringValue("", "IngressClass name (empty: the cluster's default class).")),
            ("host", new StringValue(KubernetesApp.PlaceholderHost, "The public host name: the Ingress rule and its TLS host (or the HTTPRoute's hostname with gateway.enabled) and the MCP server's allowed origin.")),
            ("tls", new ObjectValue(
            [
                ("enabled", new BooleanValue(true, "Terminate TLS at the Ingress with the certificate in secretName.")),
                ("secretName", new StringValue(KubernetesApp.DefaultTlsSecretName, "The kubernetes.io/tls Secret holding the host's certificate (yours, or cert-manager's).")),
                ("issuer", new StringValue("", "A cert-manager Issuer in the release's namespace that issues secretName (the Ingress's cert-manager.io/issuer annotation).")),
                ("clusterIssuer", new StringValue("", "Or a cert-manager ClusterIssuer (cert-manager.io/cluster-issuer); set one of the two.")),
            ], "TLS at the Ingress.")),
        ], "The public entry point.")),
        ("gateway", new ObjectValue(
        [
            ("enabled", new BooleanValue(false, "Route through your Gateway (Gateway API) with an HTTPRoute instead of the Ingress (set ingress.enabled=false): ingress.host is its hostname, the frontend admits only the Gateway's namespace, and TLS (cert-manager's annotation too) is the Gateway's.")),
            ("name", new StringValue("", "The Gateway's name (required with enabled).")),
            ("namespace", new StringValue("", "Its namespace (empty: the release's); its listener must allow routes from the release's namespace.")),
            ("sectionName", new StringValue("", "The Gateway listener to attach to (empty: every listener that accepts the route).")),
        ], "The Gateway API route to the entry point.")),
        ("externalSecrets", new ObjectValue(
        [
            ("enabled", new BooleanValue(app.Options.UsesExternalSecrets, "The External Secrets Operator fills each workload's Secret from your store (one remote key per deployment input, named remoteKeyPrefix + the input's name, docs/security.md); the chart then generates and keeps no secret values and ignores secrets.*.")),
            ("secretStoreRef", new ObjectValue(
            [
                ("name", new StringValue(app.Options.SecretStore, "The SecretStore or ClusterSecretStore holding the keys (required with enabled).")),
                ("kind", new StringValue(app.Options.SecretStoreKind, "Its kind.", KubernetesOptions.SecretStoreKinds)),
            ], "The store the operator reads.")),
            ("refreshInterval", new StringValue(ExternalSecrets.DefaultRefreshInterval, "How often the operator reads the store again (a Go duration, e.g. 15m; 0s: once).")),
            ("remoteKeyPrefix", new StringValue(app.Options.RemoteKeyPrefix, "Prefix of the remote keys: the store holds <prefix><input name> for every input under secrets (their names in the AppHost).")),
        ], "Secrets from an external store through the External Secrets Operator (external-secrets.io/v1 ExternalSecret).")),
        ("secrets", new ObjectValue(app.Inputs.Select(input => (ChartSecrets.ValueKey(input), (ValueSpec)new StringValue("", SecretDescription(input)))).ToList(),
            "Deployment secrets. Leave empty to have the chart generate them on install and keep them on upgrade (it stores them in the Secret <release>-generated-secrets, which `helm uninstall` keeps with the database volume); set them (--set-file) to bring your own.")),
        ("database", new ObjectValue(
        [
            ("external", new ObjectValue(
            [
                ("enabled", new BooleanValue(app.Options.UsesExternalDatabase, "Use a database outside the chart (a managed service, a CloudNativePG cluster) instead of its Postgres StatefulSet.")),
                ("existingSecret", new StringValue(app.Options.DatabaseSecret, "The Secret holding each service's connection string, one key per service (" + string.Join(", ", app.Workloads.Where(w => w.DatabaseConnections.Count > 0).Select(w => w.Name)) + ").")),
                ("cidr", new StringValue(app.Options.DatabaseCidr, "The database's addresses (CIDR): the only egress the NetworkPolicies open to it.")),
                ("port", new IntegerValue(app.Options.DatabasePort, "The database's port.", Minimum: 1, Maximum: 65535)),
            ], "The operator's database (docs/database.md).")),
            ("maxConnections", new IntegerValue(app.Options.DatabaseMaxConnections, "PostgreSQL's max_connections: set on the chart's Postgres; with an external database, the limit it has (SHOW max_connections). Each service's pool is sized to fit it (docs/database.md, the connection budget).", Minimum: 1, Maximum: 262143)),
            ("reservedConnections", new IntegerValue(app.Options.DatabaseReservedConnections, "Connections of maxConnections no service pool takes: PostgreSQL's superuser-reserved slots, the migrator, backups, an operator's psql.", Minimum: 0)),
        ], "Where the data lives.")),
        .. (app.DatabaseWorkload is null ? [] : new[] { ("backup", (ValueSpec)Backup()) }),
        .. app.Workloads.Select(workload => (workload.Name, (ValueSpec)Workload(workload))),
    ], "");

    public static string ValuesYaml(KubernetesApp app, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        Describe(app).WriteProperties(text, 0);
        return text.ToString();
    }

    public static string SchemaJson(KubernetesApp app)
    {
        var schema = Describe(app).Schema();
        schema.Remove("description");
        schema.Insert(0, "$schema", "https://json-schema.org/draft-07/schema#");
        schema.Insert(1, "title", "Values of the Phase4 chart (generated from the AppHost model)");
        return schema.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    private static ObjectValue Backup() => new(
    [
        ("enabled", new BooleanValue(false, "Scheduled logical backups of the chart's Postgres (pg_dump -Fc) to a volume of their own.")),
        ("schedule", new StringValue(DatabaseBackup.DefaultSchedule, "When, as a cron schedule (the cluster's time zone).")),
        ("retention", new IntegerValue(DatabaseBackup.DefaultRetention, "How many dumps to keep (the newest).", Minimum: 1)),
        ("storage", new ObjectValue(
        [
            ("size", new StringValue(DatabaseBackup.DefaultStorage, "Size of the backups' volume.")),
            ("storageClassName", new StringValue("", "Its StorageClass (empty: the cluster's default).")),
        ], "The backups' volume.")),
    ], "Backups of the database (docs/database.md: restore, off-site copies).");

    private static ObjectValue Workload(KubernetesWorkload workload)
    {
        var properties = new List<(string, ValueSpec)> { ("image", Image(workload)) };
        if (workload.Scales)
        {
            properties.Add(("replicas", new IntegerValue(1, "Replicas when autoscaling is disabled.", Minimum: 0)));
            properties.Add(("autoscaling", new ObjectValue(
            [
                ("enabled", new BooleanValue(true, "A HorizontalPodAutoscaler on CPU owns the replica count.")),
                ("minReplicas", new IntegerValue(WorkloadDefaults.MinReplicas, "Fewest replicas.", Minimum: 1)),
                ("maxReplicas", new IntegerValue(WorkloadDefaults.MaxReplicas, "Most replicas.", Minimum: 1)),
                ("targetCPUUtilizationPercentage", new IntegerValue(WorkloadDefaults.TargetCpuUtilization, "Average CPU use, as a share of the request, the autoscaler aims for.", Minimum: 1, Maximum: 100)),
            ], "Horizontal autoscaling.")));
            properties.Add(("topologySpread", new ObjectValue(
            [
                ("enabled", new BooleanValue(true, "Spread replicas over nodes and zones.")),
                ("maxSkew", new IntegerValue(1, "Most replicas one domain may have above another.", Minimum: 1)),
                ("whenUnsatisfiable", new StringValue("ScheduleAnyway", "ScheduleAnyway (a preference) or DoNotSchedule (a rule).", ["ScheduleAnyway", "DoNotSchedule"])),
                ("topologyKeys", new StringListValue(WorkloadDefaults.TopologyKeys, "Node labels whose values are the domains to spread over.")),
            ], "Topology spread of the replicas.")));
        }

        properties.Add(("resources", new KubernetesValue(WorkloadDefaults.Resources(workload), "object", "CPU and memory requests and limits of the container.")));
        if (workload.IsStateful)
        {
            properties.Add(("persistence", new ObjectValue(
            [
                ("size", new StringValue(WorkloadDefaults.VolumeSize, "Size of the data volume (set at install: a StatefulSet's claims are not resized by an upgrade).")),
                ("storageClassName", new StringValue("", "StorageClass of the data volume (empty: the cluster's default class).")),
            ], "The data volume.")));
        }

        var tunable = workload.Settings.Where(setting => ClusterSettings.Tunable.Contains(setting.Key)).ToList();
        if (tunable.Count > 0)
        {
            properties.Add(("settings", new ObjectValue(
                tunable.Select(setting => (setting.Key, (ValueSpec)new StringValue(setting.Value, SettingDescription(setting.Key)))).ToList(),
                "Settings an operator may change per release (the others follow from the model).")));
        }

        if (workload.AllSecretSettings.Count > 0)
        {
            properties.Add(("existingSecret", new StringValue("", $"A Secret you manage with the keys {string.Join(", ", workload.AllSecretSettings.Select(s => s.Name))}, instead of the chart's.")));
        }

        return new ObjectValue(properties, $"The {workload.Name} workload.");
    }

    private static ObjectValue Image(KubernetesWorkload workload)
    {
        if (workload.Source.Image is PublishedImage published)
        {
            var (registry, repository, tag) = ImageReference.Parse(published.Reference);
            return new ObjectValue(
            [
                ("registry", new StringValue(registry, "Registry of the image (a mirror, say).")),
                ("repository", new StringValue(repository, "Repository of the image.")),
                ("tag", new StringValue(tag, "Tag of the image.")),
            ], "The container image.");
        }

        return new ObjectValue(
        [
            ("registry", new StringValue("", "Registry of this image (default: imageRegistry).")),
            ("repository", new StringValue(workload.ImageName, "Repository of this image.")),
            ("tag", new StringValue("", "Tag of this image (default: imageTag).")),
        ], "The container image.");
    }

    private static string SettingDescription(string key) => key switch
    {
        "AI__Endpoint" => "OpenAI-compatible base URL of the chat model (openai provider).",
        "AI__Model" => "The chat model's name (openai provider).",
        "Logging__LogLevel__Default" => "Default log level.",
        ClusterSettings.AllowedOriginsKey => "Browser origins allowed to call /mcp, comma-separated (escape commas in --set); empty: the Ingress's origin when it is enabled.",
        ClusterSettings.KnownNetworksKey => "Networks (CIDR, comma-separated) whose X-Forwarded-For is believed: the frontend's pods. Narrow it to your pod CIDR (escape commas in --set).",
        _ => key,
    };

    private static string SecretDescription(DeploymentInput input) => input.Generator switch
    {
        RandomPasswordGenerator password => $"{input.ParameterName}: generated ({password.MinLength} letters and digits) when empty.",
        EcPrivateKeyGenerator => $"{input.ParameterName}: a PEM private key (P-256 or RSA >= 2048); a P-256 key is generated when empty.",
        PublicKeyOfGenerator derived => $"{input.ParameterName}: the PEM public key of {derived.PrivateKeyParameter}; derived from it when empty.",
        DefaultValueGenerator fixedValue => $"{input.ParameterName}: default {fixedValue.Value}.",
        _ => $"{input.ParameterName}: supplied by you (kept across upgrades once given).",
    };
}
