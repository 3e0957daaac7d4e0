using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>helm upgrade</c> as the chart renders it on a cluster (issue 23, points 3, 4 and 5): an install, then an upgrade
/// rendered with <c>--is-upgrade</c> against a stand-in API server that returns what the install stored (the Secret of
/// generated values, the StatefulSet), as <c>lookup</c> reads them on a real cluster. The pod templates are compared
/// field by field: a pod restarts exactly when its template changes (Kubernetes docs, Deployments: "A Deployment's
/// rollout is triggered if and only if the Deployment's Pod template (that is, .spec.template) is changed").
/// </summary>
public sealed class HelmUpgradeTests : IAsyncLifetime
{
    private const string Release = "phase4";

    private static readonly string[] IsUpgrade = ["--is-upgrade"];

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phase4-helm-upgrade-");

    private LookupApiServer _cluster = null!;

    private IList<object> _installed = [];

    public async Task InitializeAsync()
    {
        _cluster = await LookupApiServer.StartAsync();
        // The install, on a cluster that has nothing yet; then the cluster holds what it created.
        _installed = await RenderAsync(upgrade: false);
        foreach (var item in _installed.OfType<V1Secret>().Where(secret => secret.Metadata.Name == $"{Release}-{ChartSecrets.StoreName}")
            .Cast<object>().Concat(_installed.OfType<V1StatefulSet>()))
        {
            var json = JsonNode.Parse(KubernetesJson.Serialize(item))!;
            json["metadata"]!["namespace"] = Release;
            _cluster.Store(json);
        }
    }

    [Fact]
    public async Task An_upgrade_with_unchanged_values_changes_no_pod_template()
    {
        var upgraded = await RenderAsync(upgrade: true);

        var before = PodTemplates(_installed);
        Assert.Equal(["phase4-backend", "phase4-frontend", "phase4-mcpserver", "phase4-postgres"], before.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, entry => Assert.True(entry.Value == PodTemplates(upgraded)[entry.Key], $"{entry.Key}'s pod template changed: its pods would restart"));
        // What the pods read: the generated values, found again.
        Assert.Equal(Secret(_installed, "backend-secrets").Data["ConnectionStrings__tasksdb"], Secret(upgraded, "backend-secrets").Data["ConnectionStrings__tasksdb"]);
    }

    /// <summary>
    /// On install each pod template's <c>checksum/secret</c> must hash the Secret that install creates: values generated
    /// once, not once per <c>include</c>.
    /// </summary>
    [Fact]
    public void On_install_every_secret_checksum_is_the_hash_of_the_secret_the_install_creates()
    {
        foreach (var (name, template) in Workloads(_installed))
        {
            if (template.Metadata.Annotations?.TryGetValue("checksum/secret", out var checksum) != true)
            {
                continue;
            }

            var data = Secret(_installed, $"{name[(Release.Length + 1)..]}-secrets").Data
                .ToDictionary(entry => entry.Key, entry => Convert.ToBase64String(entry.Value));
            var json = new JsonObject(data.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => KeyValuePair.Create(entry.Key, (JsonNode?)entry.Value)));
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()))), checksum);
        }
    }

    [Fact]
    public async Task A_changed_setting_or_secret_rolls_exactly_the_workloads_that_read_it()
    {
        var before = PodTemplates(_installed);

        var setting = PodTemplates(await RenderAsync(upgrade: true, "--set-string", "mcpserver.settings.Logging__LogLevel__Default=Debug"));
        Assert.Equal(["phase4-mcpserver"], Changed(before, setting));

        var secret = PodTemplates(await RenderAsync(upgrade: true, "--set-string", "secrets.tasksdbMcpserverPassword=a-new-role-password-for-mcp-0123"));
        Assert.Equal(["phase4-mcpserver"], Changed(before, secret));

        var tag = PodTemplates(await RenderAsync(upgrade: true, "--set-string", "frontend.image.tag=t2"));
        Assert.Equal(["phase4-frontend"], Changed(before, tag));
    }

    /// <summary>
    /// Hooks run before Helm updates any object of the release (Helm docs, Chart Hooks, "pre-upgrade … before any
    /// resources are updated"): the migrator's upgrade hook reads its own ConfigMap, Secret and NetworkPolicy, rendered
    /// from the new values and created as hooks before it, not the release's (still the previous release's).
    /// </summary>
    [Fact]
    public async Task The_upgrade_migrator_hook_runs_with_the_new_releases_settings_secrets_and_egress()
    {
        var upgraded = await RenderAsync(upgrade: true, "--set-string", "secrets.tasksdbBackendPassword=a-new-role-password-for-backend-1");

        var hook = Assert.Single(upgraded.OfType<V1Job>());
        Assert.Equal("phase4-migrator-upgrade", hook.Metadata.Name);
        Assert.Equal("pre-upgrade", hook.Metadata.Annotations["helm.sh/hook"]);
        var sources = hook.Spec.Template.Spec.Containers.Single().EnvFrom;
        var config = Assert.Single(upgraded.OfType<V1ConfigMap>(), map => map.Metadata.Name == sources.Single(source => source.ConfigMapRef is not null).ConfigMapRef.Name);
        var secret = Assert.Single(upgraded.OfType<V1Secret>(), item => item.Metadata.Name == sources.Single(source => source.SecretRef is not null).SecretRef.Name);
        var policy = Assert.Single(upgraded.OfType<V1NetworkPolicy>(), item => item.Metadata.Name == "phase4-migrator-upgrade");
        foreach (var hookObject in new IKubernetesObject<V1ObjectMeta>[] { config, secret, policy })
        {
            Assert.Equal("pre-upgrade", hookObject.Metadata.Annotations["helm.sh/hook"]);
            Assert.True(int.Parse(hookObject.Metadata.Annotations["helm.sh/hook-weight"], System.Globalization.CultureInfo.InvariantCulture) < 0, "created before the Job");
        }

        Assert.Equal("a-new-role-password-for-backend-1", System.Text.Encoding.UTF8.GetString(secret.Data["Database__Roles__Backend__Password"]));
        Assert.Equal("migrator", policy.Spec.PodSelector.MatchLabels["app.kubernetes.io/name"]);

        // Switching to an external database: the hook may leave the cluster for it, which the release's policy (still
        // the in-cluster one while hooks run) does not allow.
        var external = await RenderAsync(upgrade: true, "--set", "database.external.enabled=true", "--set-string", "database.external.cidr=10.20.0.0/16");
        var externalPolicy = Assert.Single(external.OfType<V1NetworkPolicy>(), item => item.Metadata.Name == "phase4-migrator-upgrade");
        Assert.Contains(externalPolicy.Spec.Egress, rule => rule.To?.Any(peer => peer.IpBlock?.Cidr == "10.20.0.0/16") == true);
    }

    /// <summary>
    /// Kubernetes refuses changes to a StatefulSet's volume claims (pkg/apis/apps/validation/validation.go
    /// ValidateStatefulSetUpdate); the chart reads the live StatefulSet and refuses the upgrade before anything changes.
    /// </summary>
    [Theory]
    [InlineData("postgres.persistence.size=5Gi")]
    [InlineData("postgres.persistence.storageClassName=fast-ssd")]
    public async Task A_storage_change_on_upgrade_is_refused_before_anything_changes_with_the_way_out(string change)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(upgrade: true, "--set-string", change));

        Assert.Contains("postgres.persistence cannot change after install", error.Message, StringComparison.Ordinal);
        Assert.Contains("backup --chart --output tasksdb.dump", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres-data-phase4-postgres-0", error.Message, StringComparison.Ordinal);
    }

    private static List<string> Changed(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Where(entry => after[entry.Key] != entry.Value).Select(entry => entry.Key).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<(string Name, V1PodTemplateSpec Template)> Workloads(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)));

    private static Dictionary<string, string> PodTemplates(IEnumerable<object> objects) =>
        Workloads(objects).ToDictionary(entry => entry.Name, entry => KubernetesJson.Serialize(entry.Template));

    private static V1Secret Secret(IEnumerable<object> objects, string name) => objects.OfType<V1Secret>().Single(secret => secret.Metadata.Name == $"{Release}-{name}");

    /// <summary>
    /// <c>helm template --dry-run=server</c> (Helm 4: "'--dry-run=server' simulates/validates the operation on the server,
    /// requiring cluster connectivity", so <c>lookup</c> reads the cluster) against the stand-in API server, with the
    /// committed chart and the tag the images would have. The stand-in serves no OpenAPI document, so the schema check
    /// against it is off (<c>--disable-openapi-validation</c>); the typed, strict parse below checks every field instead.
    /// </summary>
    private async Task<IList<object>> RenderAsync(bool upgrade, params string[] values)
    {
        var kubeconfig = Path.Combine(_scratch.FullName, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, "apiVersion: v1\nkind: Config\n");
        var home = Path.Combine(_scratch.FullName, ".helm");
        var yaml = await KubernetesTools.RunAsync(KubernetesTools.Helm,
            ["template", Release, Path.Combine(RepositoryRoot.Folder, "aspirate-output", ChartWriter.Folder), "--namespace", Release,
                "--set-string", "imageTag=t1", .. values, "--dry-run=server", "--disable-openapi-validation", "--kube-apiserver", _cluster.Url, .. upgrade ? IsUpgrade : []],
            _scratch.FullName,
            new Dictionary<string, string>
            {
                ["KUBECONFIG"] = kubeconfig,
                ["HELM_CACHE_HOME"] = Path.Combine(home, "cache"),
                ["HELM_CONFIG_HOME"] = Path.Combine(home, "config"),
                ["HELM_DATA_HOME"] = Path.Combine(home, "data"),
            });
        return KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        _scratch.Delete(recursive: true);
    }
}
