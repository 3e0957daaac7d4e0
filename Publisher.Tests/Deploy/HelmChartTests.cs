using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Secrets;
using Phase4.SigningKeys;

namespace Phase4.Tests.Deploy;

/// <summary>
/// aspirate-output/Chart rendered by helm 4: it lints strictly, renders the base's objects, names them after the
/// release, takes every per-cluster setting from values (and only changes what each value names), generates and keeps
/// its secrets, and refuses wrong values through its schema.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed partial class HelmChartTests(RenderedKubernetesFixture rendered) : IDisposable
{
    private const string Helm = RenderedKubernetesFixture.Helm;

    private static readonly string Output = PublishedAppHostModel.Repository.DefaultOutputFolder;

    private readonly DirectoryInfo _scratch = CopyOfChart();

    [Fact]
    public void The_committed_chart_is_exactly_what_the_AppHost_model_generates_now()
    {
        var generated = ChartWriter.Write(rendered.App);
        foreach (var (path, content) in generated)
        {
            var committed = Path.Combine(Output, path);
            Assert.True(File.Exists(committed) && File.ReadAllText(committed) == content,
                $"aspirate-output/{path} is missing or stale: run `dotnet run --project Publisher -- generate` and commit the result.");
        }

        var files = Directory.EnumerateFiles(Path.Combine(Output, ChartWriter.Folder), "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Output, file).Replace('\\', '/'));
        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Helm_lint_passes_strictly() => Assert.Contains("0 chart(s) failed", rendered.HelmLintOutput, StringComparison.Ordinal);

    [Fact]
    public void The_chart_renders_the_same_objects_as_the_Kustomize_base_plus_the_store_of_its_generated_secrets()
    {
        static IEnumerable<string> Identities(IEnumerable<object> objects, string prefix) => objects.OfType<IKubernetesObject<V1ObjectMeta>>()
            .Where(item => item is not V1Namespace)
            // Kustomize suffixes generated ConfigMaps and Secrets with a content hash; the chart prefixes the release.
            .Select(item => $"{item.Kind}/{Regex.Replace(item.Metadata.Name, "-[a-z0-9]{10}$", "")[prefix.Length..]}")
            .Order(StringComparer.Ordinal);

        var chart = Identities(rendered.Objects(Helm), RenderedKubernetesFixture.HelmRelease + "-").ToList();
        Assert.Equal(Identities(rendered.Objects(RenderedKubernetesFixture.Base), ""), chart.Where(identity => identity != $"Secret/{ChartSecrets.StoreName}"));
        Assert.Contains($"Secret/{ChartSecrets.StoreName}", chart);
    }

    [Fact]
    public void With_existingSecret_the_chart_renders_no_workload_Secret_and_the_pods_use_the_named_one()
    {
        Assert.Equal([$"{RenderedKubernetesFixture.HelmRelease}-{ChartSecrets.StoreName}"], rendered.HelmWithExistingSecrets.OfType<V1Secret>().Select(s => s.Metadata.Name));
        var backend = rendered.HelmWithExistingSecrets.OfType<V1Deployment>().Single(d => d.Metadata.Name == "phase4-backend");
        Assert.Contains(backend.Spec.Template.Container().EnvFrom, source => source.SecretRef?.Name == "backend-existing");
        Assert.Single(rendered.HelmWithExistingSecrets.OfType<V1Ingress>());
    }

    /// <summary>Every value changed at once: each lands where it belongs, and a diff of the two renderings shows nothing else.</summary>
    [Fact]
    public async Task Non_default_values_land_everywhere_they_belong_and_nothing_else_changes()
    {
        string[] common = ["--set", "ingress.enabled=true"];
        var defaults = await RenderAsync("phase4", common);
        var custom = await RenderAsync("phase4",
        [
            .. common,
            "--set", "imageRegistry=registry.example.org/team", "--set", "imageTag=v2", "--set", "imagePullPolicy=Always",
            "--set", "imagePullSecrets[0].name=regcred",
            "--set", "ingress.host=todo.example.org", "--set", "ingress.className=nginx", "--set", "ingress.tls.secretName=todo-tls",
            "--set", "entryServiceType=LoadBalancer",
            "--set", "postgres.persistence.size=5Gi", "--set", "postgres.persistence.storageClassName=fast-ssd",
            "--set", "backend.autoscaling.minReplicas=2", "--set", "backend.autoscaling.maxReplicas=7",
            "--set", "backend.autoscaling.targetCPUUtilizationPercentage=60",
            "--set", "backend.resources.limits.memory=512Mi",
            "--set", "frontend.topologySpread.enabled=false",
            "--set-string", "backend.settings.AI__Model=tiny", "--set-string", "backend.settings.Logging__LogLevel__Default=Warning",
        ]);

        // Where each value lands.
        foreach (var (name, template) in Workloads(custom))
        {
            var image = template.Container().Image;
            // The migrator runs the backend's image.
            Assert.Equal(name == "postgres" ? "docker.io/library/postgres:18.3" : $"registry.example.org/team/phase4/{(name == "migrator" ? "backend" : name)}:v2", image);
            Assert.Equal("Always", template.Container().ImagePullPolicy);
            Assert.Equal(["regcred"], template.Spec.ImagePullSecrets.Select(secret => secret.Name));
        }

        var ingress = Assert.Single(custom.OfType<V1Ingress>());
        Assert.Equal("todo.example.org", Assert.Single(ingress.Spec.Rules).Host);
        Assert.Equal(["todo.example.org"], Assert.Single(ingress.Spec.Tls).Hosts);
        Assert.Equal(("todo-tls", "nginx"), (ingress.Spec.Tls[0].SecretName, ingress.Spec.IngressClassName));
        Assert.Equal("https://todo.example.org", ConfigMap(custom, "mcpserver")["Mcp__AllowedOrigins"]);
        Assert.Equal("https://todo.example.org", ConfigMap(custom, "frontend")["PUBLIC_ORIGIN"]);
        Assert.Equal(("tiny", "Warning"), (ConfigMap(custom, "backend")["AI__Model"], ConfigMap(custom, "backend")["Logging__LogLevel__Default"]));
        Assert.Equal("LoadBalancer", custom.OfType<V1Service>().Single(s => s.Metadata.Name == "phase4-frontend").Spec.Type);
        var claim = custom.OfType<V1StatefulSet>().Single().Spec.VolumeClaimTemplates.Single();
        Assert.Equal(("fast-ssd", "5Gi"), (claim.Spec.StorageClassName, claim.Spec.Resources.Requests["storage"].ToString()));
        var autoscaler = custom.OfType<V2HorizontalPodAutoscaler>().Single(a => a.Metadata.Name == "phase4-backend");
        Assert.Equal((2, 7, 60), (autoscaler.Spec.MinReplicas!.Value, autoscaler.Spec.MaxReplicas, autoscaler.Spec.Metrics.Single().Resource.Target.AverageUtilization!.Value));
        Assert.Equal("512Mi", Workloads(custom).Single(w => w.Name == "backend").Template.Container().Resources.Limits["memory"].ToString());
        Assert.Null(Workloads(custom).Single(w => w.Name == "frontend").Template.Spec.TopologySpreadConstraints);
        Assert.NotNull(Workloads(custom).Single(w => w.Name == "backend").Template.Spec.TopologySpreadConstraints);

        // And nothing else: every differing field is one of those.
        string[] expected =
        [
            @"^\w+/[\w-]+ (spec\.template\.)?metadata\.labels\.app\.kubernetes\.io/version$",
            @"^(Deployment|StatefulSet|Job)/[\w-]+ spec\.template\.spec\.containers\.0\.(image|imagePullPolicy)$",
            @"^(Deployment|StatefulSet|Job)/[\w-]+ spec\.template\.spec\.imagePullSecrets(\.0\.name)?$",
            @"^Ingress/phase4-frontend spec\.(rules\.0\.host|tls\.0\.hosts\.0|tls\.0\.secretName|ingressClassName)$",
            @"^ConfigMap/phase4-mcpserver-env data\.Mcp__AllowedOrigins$",
            @"^ConfigMap/phase4-frontend-env data\.PUBLIC_ORIGIN$",
            @"^ConfigMap/phase4-backend-env data\.(AI__Model|Logging__LogLevel__Default)$",
            // backend.autoscaling.maxReplicas changes the connection budget of both pooled services.
            @"^ConfigMap/phase4-(backend|mcpserver)-env data\.Database__MaxPoolSize$",
            @"^Deployment/phase4-(mcpserver|backend|frontend) spec\.template\.metadata\.annotations\.checksum/config$",
            @"^Service/phase4-frontend spec\.type$",
            @"^StatefulSet/phase4-postgres spec\.volumeClaimTemplates\.0\.spec\.(storageClassName|resources\.requests\.storage)$",
            @"^HorizontalPodAutoscaler/phase4-backend spec\.(minReplicas|maxReplicas|metrics\.0\.resource\.target\.averageUtilization)$",
            @"^Deployment/phase4-backend spec\.template\.spec\.containers\.0\.resources\.limits\.memory$",
            @"^Deployment/phase4-frontend spec\.template\.spec\.topologySpreadConstraints(\..*)?$",
        ];
        var unexpected = Differences(defaults, custom).Where(path => !expected.Any(pattern => Regex.IsMatch(path, pattern))).ToList();
        Assert.True(unexpected.Count == 0, "changed beyond the values set: " + string.Join(", ", unexpected));
    }

    [Fact]
    public async Task Two_releases_share_a_namespace_without_a_name_or_a_selector_in_common()
    {
        var blue = await RenderAsync("blue", []);
        var green = await RenderAsync("green", []);

        static HashSet<string> Names(IEnumerable<object> objects) =>
            objects.OfType<IKubernetesObject<V1ObjectMeta>>().Select(item => $"{item.Kind}/{item.Metadata.Name}").ToHashSet(StringComparer.Ordinal);
        Assert.Empty(Names(blue).Intersect(Names(green)));
        Assert.Equal(Names(blue).Count, Names(green).Count);

        foreach (var (release, objects) in new[] { ("blue", blue), ("green", green) })
        {
            Assert.All(objects.OfType<V1Deployment>(), d => Assert.Equal(release, d.Spec.Selector.MatchLabels["app.kubernetes.io/instance"]));
            Assert.All(objects.OfType<V1Service>(), s => Assert.Equal(release, s.Spec.Selector["app.kubernetes.io/instance"]));
            Assert.All(objects.OfType<V1NetworkPolicy>(), p => Assert.Equal(release, p.Spec.PodSelector.MatchLabels["app.kubernetes.io/instance"]));
            // Every reference resolves inside its own release.
            var names = Names(objects);
            foreach (var (_, template) in Workloads(objects))
            {
                Assert.All(template.Container().EnvFrom, source =>
                    Assert.Contains(source.ConfigMapRef is { } map ? $"ConfigMap/{map.Name}" : $"Secret/{source.SecretRef.Name}", names));
            }

            Assert.StartsWith($"http://{release}-phase4-mcpserver:8080", ConfigMap(objects, "backend", release)["services__mcpserver__http__0"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_secret_values_the_chart_generates_a_working_key_pair_and_one_password_and_keeps_them_on_uninstall()
    {
        var objects = await RenderAsync("phase4", [], withSecretValues: false);

        string Secret(string workload, string key) => System.Text.Encoding.UTF8.GetString(
            objects.OfType<V1Secret>().Single(s => s.Metadata.Name == $"phase4-{workload}").Data[key]);
        var signing = JwtKeys.LoadPrivateKey(Secret("backend-secrets", "Jwt__SigningKey"));
        var verifying = JwtKeys.LoadPublicKey(Secret("mcpserver-secrets", "Jwt__PublicKey"));
        Assert.Equal(JwtKeys.ToPublic(signing).KeyId, verifying.KeyId);
        Assert.DoesNotContain("PRIVATE KEY", Secret("mcpserver-secrets", "Jwt__PublicKey"), StringComparison.Ordinal);

        var password = Secret("postgres-secrets", "POSTGRES_PASSWORD");
        Assert.Matches("^[A-Za-z0-9]{32}$", password);
        // The migrator connects as the owner with that password and gives each service's role its own.
        Assert.Contains($"Password={password};", Secret("migrator-secrets", "ConnectionStrings__tasksdb"), StringComparison.Ordinal);
        Assert.Contains($"Password={Secret("migrator-secrets", "Database__Roles__Backend__Password")};", Secret("backend-secrets", "ConnectionStrings__tasksdb"), StringComparison.Ordinal);
        Assert.Contains($"Password={Secret("migrator-secrets", "Database__Roles__Mcp__Password")};", Secret("mcpserver-secrets", "ConnectionStrings__tasksdb"), StringComparison.Ordinal);
        Assert.NotEqual(Secret("migrator-secrets", "Database__Roles__Backend__Password"), Secret("migrator-secrets", "Database__Roles__Mcp__Password"));

        var store = objects.OfType<V1Secret>().Single(s => s.Metadata.Name == $"phase4-{ChartSecrets.StoreName}");
        Assert.Equal("keep", store.Metadata.Annotations["helm.sh/resource-policy"]);
        Assert.Equal(password, System.Text.Encoding.UTF8.GetString(store.Data["postgres-password"]));
    }

    [Theory]
    [InlineData("--set", "backend.autoscaling.minReplicas=many", "minReplicas")]
    [InlineData("--set", "backend.replica=2", "replica")]
    [InlineData("--set", "imagePullPolicy=Sometimes", "imagePullPolicy")]
    [InlineData("--set-string", "ingress.enabled=true", "enabled")]
    public async Task A_wrong_value_type_or_a_misspelt_key_fails_at_install_naming_it(string option, string setting, string named)
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync("phase4", [option, setting]));
        Assert.Contains("schema", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_image_tag_the_chart_refuses_the_placeholder_and_says_which_value_to_set()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => KubernetesTools.HelmAsync(["template", "phase4", "./" + ChartWriter.Folder], _scratch.FullName));
        Assert.Contains("set imageTag", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_settings_change_the_checksum_that_rolls_the_pods_reading_them_and_no_other()
    {
        var before = await RenderAsync("phase4", []);
        var after = await RenderAsync("phase4", ["--set-string", "mcpserver.settings.Logging__LogLevel__Default=Debug"]);

        static string Checksum(IEnumerable<object> objects, string name) =>
            Workloads(objects).Single(w => w.Name == name).Template.Metadata.Annotations["checksum/config"];
        Assert.NotEqual(Checksum(before, "mcpserver"), Checksum(after, "mcpserver"));
        Assert.Equal(Checksum(before, "backend"), Checksum(after, "backend"));
        Assert.Equal(
            Workloads(before).Single(w => w.Name == "mcpserver").Template.Metadata.Annotations["checksum/secret"],
            Workloads(after).Single(w => w.Name == "mcpserver").Template.Metadata.Annotations["checksum/secret"]);
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    /// <summary>
    /// <c>helm template RELEASE ./Chart</c> with fixed secret values (so renderings compare), an image tag and
    /// <paramref name="arguments"/>; fails with helm's message.
    /// </summary>
    private async Task<IReadOnlyList<object>> RenderAsync(string release, string[] arguments, bool withSecretValues = true)
    {
        var values = Path.Combine(_scratch.FullName, "secrets.yaml");
        if (!File.Exists(values))
        {
            await File.WriteAllTextAsync(values, RenderedKubernetesFixture.SecretValues(rendered.App,
                InputValues.CreateMissing(rendered.App.Inputs, new Dictionary<string, string>(), _ => null)));
        }

        string[] secretArguments = withSecretValues ? ["--values", values] : [];
        var yaml = await KubernetesTools.HelmAsync(
            ["template", release, "./" + ChartWriter.Folder, "--namespace", KubernetesApp.DefaultNamespace, "--set", $"imageTag={RenderedKubernetesFixture.HelmImageTag}", .. secretArguments, .. arguments],
            _scratch.FullName);
        return KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
    }

    private static IEnumerable<(string Name, V1PodTemplateSpec Template)> Workloads(IEnumerable<object> objects) =>
        objects.OfType<V1Deployment>().Select(d => d.Spec.Template).Concat(objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template))
            .Concat(objects.OfType<V1Job>().Select(j => j.Spec.Template))
            .Select(template => (template.Metadata.Labels["app.kubernetes.io/name"], template));

    private static IDictionary<string, string> ConfigMap(IEnumerable<object> objects, string workload, string release = "phase4") =>
        objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name == (release == "phase4" ? $"phase4-{workload}-env" : $"{release}-phase4-{workload}-env")).Data;

    /// <summary>The fields (as <c>Kind/name dotted.path</c>) whose values differ between two renderings of the same release.</summary>
    private static IEnumerable<string> Differences(IEnumerable<object> left, IEnumerable<object> right)
    {
        static Dictionary<string, string> Flatten(IEnumerable<object> objects)
        {
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            void Walk(string prefix, JsonNode? node)
            {
                switch (node)
                {
                    case JsonObject map:
                        foreach (var (key, value) in map)
                        {
                            Walk(prefix.EndsWith(' ') ? prefix + key : $"{prefix}.{key}", value);
                        }

                        break;
                    case JsonArray list:
                        for (var i = 0; i < list.Count; i++)
                        {
                            Walk($"{prefix}.{i}", list[i]);
                        }

                        break;
                    default:
                        fields[prefix] = node?.ToJsonString() ?? "null";
                        break;
                }
            }

            foreach (var item in objects.OfType<IKubernetesObject<V1ObjectMeta>>())
            {
                Walk($"{item.Kind}/{item.Metadata.Name} ", JsonNode.Parse(KubernetesJson.Serialize(item)));
            }

            return fields;
        }

        var before = Flatten(left);
        var after = Flatten(right);
        return before.Keys.Union(after.Keys)
            .Where(key => before.GetValueOrDefault(key) != after.GetValueOrDefault(key));
    }

    private static DirectoryInfo CopyOfChart()
    {
        var scratch = Directory.CreateTempSubdirectory("phase4-chart-");
        var chart = Path.Combine(Output, ChartWriter.Folder);
        foreach (var file in Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(scratch.FullName, ChartWriter.Folder, Path.GetRelativePath(chart, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return scratch;
    }
}
