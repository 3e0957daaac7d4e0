using System.Text.RegularExpressions;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>generate --include-dashboard</c>: the standalone Aspire dashboard runs like the other workloads (restricted,
/// probed, bounded), takes every .NET service's OTLP telemetry with an API key and shows it behind a browser token.
/// </summary>
[Collection(DashboardRenderedGroup.Name)]
public sealed partial class DashboardTests(DashboardRenderedFixture rendered)
{
    private const string Dashboard = AspireDashboard.Name;

    public static TheoryData<string> Variants => RenderedObjects.VariantData();

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_dashboard_runs_the_image_of_the_AppHosts_Aspire_version_with_its_UI_and_both_OTLP_ports(string variant)
    {
        var aspire = AspireVersion().Match(File.ReadAllText(Path.Combine(PublishedAppHostModel.Repository.Root, "Directory.Packages.props")));
        Assert.True(aspire.Success);
        var container = rendered.Template(variant, Dashboard).Container();
        Assert.Equal($"mcr.microsoft.com/dotnet/aspire-dashboard:{aspire.Groups["version"].Value}", container.Image);

        var service = rendered.Named<V1Service>(variant, Dashboard);
        Assert.Equal([18888, 18889, 18890], service.Spec.Ports.Select(port => port.Port));
        Assert.Equal("ClusterIP", service.Spec.Type);
        // One pod holds the telemetry in memory: more replicas would split it.
        Assert.Equal(1, rendered.Named<V1Deployment>(variant, Dashboard).Spec.Replicas);
        Assert.DoesNotContain(rendered.All<V2HorizontalPodAutoscaler>(variant), autoscaler => autoscaler.Metadata.Name == Dashboard);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_dashboard_meets_the_restricted_profile_and_has_probes_resources_and_a_graceful_stop(string variant)
    {
        var template = rendered.Template(variant, Dashboard);
        var pod = template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(1654, pod.SecurityContext.RunAsUser);
        Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
        Assert.False(pod.AutomountServiceAccountToken);
        var container = template.Container();
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.NotNull(pod.Volumes.Single(volume => volume.Name == container.VolumeMounts.Single(mount => mount.MountPath == "/tmp").Name).EmptyDir);

        Assert.All(new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }, probe => Assert.Equal("http", probe.TcpSocket.Port.Value));
        Assert.True(container.Resources.Requests.ContainsKey("cpu"));
        Assert.True(container.Resources.Limits.ContainsKey("memory"));
        Assert.Equal(KubernetesApp.PreStopSleepSeconds, container.Lifecycle.PreStop.Sleep.Seconds);
        Assert.Equal("observability", template.Metadata.Labels["app.kubernetes.io/component"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_dashboard_asks_browsers_for_a_generated_token_and_OTLP_clients_for_a_generated_key(string variant)
    {
        var template = rendered.Template(variant, Dashboard);
        var settings = rendered.Settings(variant, template);
        var secrets = rendered.Secrets(variant, template);
        Assert.Equal("BrowserToken", settings["Dashboard__Frontend__AuthMode"]);
        Assert.Equal("ApiKey", settings["Dashboard__Otlp__AuthMode"]);
        Assert.Equal("http://0.0.0.0:18889", settings["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"]);
        Assert.Equal("http://0.0.0.0:18890", settings["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"]);
        Assert.True(secrets["Dashboard__Frontend__BrowserToken"].Length >= 32);
        Assert.True(secrets["Dashboard__Otlp__PrimaryApiKey"].Length >= 32);
        Assert.NotEqual(secrets["Dashboard__Frontend__BrowserToken"], secrets["Dashboard__Otlp__PrimaryApiKey"]);
        Assert.False(settings.ContainsKey("Dashboard__Frontend__BrowserToken"));
        Assert.False(settings.ContainsKey("Dashboard__Otlp__PrimaryApiKey"));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_workload_built_here_exports_OTLP_to_the_dashboard_with_its_key_and_under_its_resource_name(string variant)
    {
        // The .NET services and the migrator through ServiceDefaults, the Node frontend through its OpenTelemetry SDK.
        var key = rendered.Secrets(variant, rendered.Template(variant, Dashboard))["Dashboard__Otlp__PrimaryApiKey"];
        foreach (var name in TelemetrySenders)
        {
            var template = rendered.Template(variant, name);
            var settings = rendered.Settings(variant, template);
            Assert.Equal($"http://{RenderedKubernetesFixture.NameOf(variant, Dashboard)}:18889", settings["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("grpc", settings["OTEL_EXPORTER_OTLP_PROTOCOL"]);
            Assert.Equal(name, settings["OTEL_SERVICE_NAME"]);
            Assert.Equal($"x-otlp-api-key={key}", rendered.Secrets(variant, template)["OTEL_EXPORTER_OTLP_HEADERS"]);
        }

        // Postgres sends nothing: it is given no endpoint it would ignore.
        Assert.False(rendered.Settings(variant, rendered.Template(variant, "postgres")).ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    private static readonly string[] TelemetrySenders = ["backend", "frontend", "mcpserver", "migrator"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Network_policies_let_the_services_reach_the_dashboards_OTLP_ports_and_anyone_its_UI_only(string variant)
    {
        var policy = rendered.Named<V1NetworkPolicy>(variant, Dashboard).Spec;
        Assert.Empty(policy.Egress ?? []);
        var open = Assert.Single(policy.Ingress, rule => rule.FromProperty is null);
        Assert.Equal(["18888"], open.Ports.Select(port => port.Port.Value));
        var telemetry = Assert.Single(policy.Ingress, rule => rule.FromProperty is not null);
        Assert.Equal(TelemetrySenders, telemetry.FromProperty.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]).Order());
        Assert.Equal(["18889", "18890"], telemetry.Ports.Select(port => port.Port.Value));

        foreach (var name in TelemetrySenders)
        {
            var egress = rendered.Named<V1NetworkPolicy>(variant, name).Spec.Egress
                .Single(rule => rule.To?.Any(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"] == Dashboard) == true);
            Assert.Equal(["18889", "18890"], egress.Ports.Select(port => port.Port.Value));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void With_the_openai_provider_the_backend_and_only_it_may_leave_the_cluster_on_the_endpoints_port(string variant)
    {
        var settings = rendered.Settings(variant, rendered.Template(variant, "backend"));
        Assert.Equal("openai", settings["AI__Provider"]);
        Assert.Equal(DashboardRenderedFixture.ModelEndpoint, settings["AI__Endpoint"]);
        Assert.Equal(DashboardRenderedFixture.ModelName, settings["AI__Model"]);
        Assert.False(settings.ContainsKey("AI__ApiKey"));
        Assert.True(rendered.Secrets(variant, rendered.Template(variant, "backend")).ContainsKey("AI__ApiKey"));

        var anywhere = Assert.Single(rendered.Named<V1NetworkPolicy>(variant, "backend").Spec.Egress, rule => rule.To is null);
        Assert.Equal([DashboardRenderedFixture.ModelPort.ToString(System.Globalization.CultureInfo.InvariantCulture)], anywhere.Ports.Select(port => port.Port.Value));
        string[] withoutPeers = ["backend", "allow-dns", "default-deny"];
        foreach (var policy in rendered.All<V1NetworkPolicy>(variant).Where(p => !withoutPeers.Select(name => RenderedKubernetesFixture.NameOf(variant, name)).Contains(p.Metadata.Name)))
        {
            Assert.All(policy.Spec.Egress ?? [], rule => Assert.NotNull(rule.To));
        }
    }

    [Fact]
    public void The_chart_with_the_dashboard_lints_and_renders_the_same_objects_as_the_Kustomize_base()
    {
        static IEnumerable<string> Identities(IEnumerable<object> objects, string prefix) => objects.OfType<k8s.IKubernetesObject<V1ObjectMeta>>()
            .Where(item => item is not V1Namespace && item.Metadata.Name != $"{prefix}{Phase4.Publisher.Kubernetes.Helm.ChartSecrets.StoreName}")
            .Select(item => $"{item.Kind}/{Regex.Replace(item.Metadata.Name, "-[a-z0-9]{10}$", "")[prefix.Length..]}")
            .Order(StringComparer.Ordinal);

        Assert.Contains("0 chart(s) failed", rendered.HelmLintOutput, StringComparison.Ordinal);
        var chart = Identities(rendered.Objects(RenderedKubernetesFixture.Helm), RenderedKubernetesFixture.HelmRelease + "-").ToList();
        Assert.Equal(Identities(rendered.Objects(RenderedKubernetesFixture.Base), ""), chart);
        Assert.Contains($"Deployment/{Dashboard}", chart);
    }

    [Fact]
    public async Task Apply_plans_the_dashboards_Secret_and_waits_for_its_rollout()
    {
        var output = Directory.CreateTempSubdirectory("phase4-apply-dashboard-");
        try
        {
            using var tools = new StandInTools(StandInTools.MinikubeContext);
            var console = new StringWriter();
            await new DeployVerbs(PublishedAppHostModel.Repository, output.FullName, tools.Runner(dryRun: true, console))
                .ApplyAsync(rendered.App, new ApplySettings("minikube", ImageTags.Of("abc123")), kubeContext: null, confirmed: false);
            var lines = console.ToString().Split('\n');
            Assert.Contains(lines, line => line.StartsWith($"Secret {Dashboard}-secrets (in the cluster): ", StringComparison.Ordinal) && line.Contains("Dashboard__Frontend__BrowserToken", StringComparison.Ordinal));
            Assert.Contains($"$ kubectl --context dev -n phase4 rollout status deployment/{Dashboard} --watch=false", lines);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_openai_provider_without_an_endpoint_reaches_api_openai_com_on_443()
    {
        var options = KubernetesOptions.Default with { AiProvider = KubernetesOptions.OpenAIProvider, AiModel = "gpt-4o-mini" };
        Assert.Equal(443, options.Validated().ModelEgressPort);
        Assert.Throws<ArgumentException>(() => (KubernetesOptions.Default with { AiProvider = KubernetesOptions.OpenAIProvider }).Validated());
        Assert.Throws<ArgumentException>(() => (KubernetesOptions.Default with { AiEndpoint = "http://ollama:11434/v1" }).Validated());
    }

    [GeneratedRegex("""Include="Aspire\.Hosting\.AppHost"\s+Version="(?<version>\d+\.\d+)\.""")]
    private static partial Regex AspireVersion();
}
