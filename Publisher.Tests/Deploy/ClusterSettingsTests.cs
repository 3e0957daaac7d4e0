using k8s.Models;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The non-secret settings of the committed output, as rendered: the chat model, log levels, the MCP server's
/// allowed origins, whether the frontend trusts X-Forwarded-For, and no telemetry endpoint without a collector.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class ClusterSettingsTests(RenderedKubernetesFixture rendered)
{
    public static TheoryData<string> Variants => RenderedObjects.VariantData();

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_backend_ConfigMap_states_the_builtin_chat_model_and_the_log_level_and_no_key_is_configured(string variant)
    {
        var settings = rendered.Settings(variant, rendered.Template(variant, "backend"));
        Assert.Equal("builtin", settings["AI__Provider"]);
        Assert.Equal("", settings["AI__Endpoint"]);
        Assert.Equal("", settings["AI__Model"]);
        Assert.Equal("Information", settings["Logging__LogLevel__Default"]);
        Assert.Equal("Information", rendered.Settings(variant, rendered.Template(variant, "mcpserver"))["Logging__LogLevel__Default"]);
        foreach (var (_, _, template) in rendered.PodTemplates(variant))
        {
            Assert.False(rendered.Secrets(variant, template).ContainsKey("AI__ApiKey"));
            Assert.False(rendered.Settings(variant, template).ContainsKey("AI__ApiKey"));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_MCP_server_allows_no_browser_origin_except_the_public_origin_in_production(string variant)
    {
        var expected = variant == "production" ? $"https://{KubernetesApp.PlaceholderHost}" : "";
        Assert.Equal(expected, rendered.Settings(variant, rendered.Template(variant, "mcpserver"))["Mcp__AllowedOrigins"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_frontend_believes_X_Forwarded_For_only_behind_the_production_Ingress_and_only_from_the_pod_network(string variant)
    {
        // Minikube's NodePort adds no X-Forwarded-For: a client could write any address the backend throttles by.
        // Behind the Ingress only the controller's namespace can reach the frontend (its NetworkPolicy).
        var expected = variant == "production" ? ClusterSettings.PrivateNetworks : "";
        Assert.Equal(expected, rendered.Settings(variant, rendered.Template(variant, "frontend"))["TRUSTED_PROXIES"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Without_a_dashboard_no_service_is_given_an_OTLP_endpoint_or_a_way_to_one(string variant)
    {
        Assert.DoesNotContain(AspireDashboard.Name, rendered.PodTemplates(variant).Select(pod => pod.Name));
        foreach (var (_, _, template) in rendered.PodTemplates(variant))
        {
            Assert.DoesNotContain(rendered.Settings(variant, template).Keys, key => key.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal));
            Assert.DoesNotContain(rendered.Secrets(variant, template).Keys, key => key.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal));
        }

        Assert.DoesNotContain(rendered.All<V1NetworkPolicy>(variant).SelectMany(policy => policy.Spec.Egress ?? []).SelectMany(rule => rule.To ?? []),
            peer => peer.PodSelector?.MatchLabels is { } labels && labels.TryGetValue("app.kubernetes.io/name", out var name) && name == AspireDashboard.Name);
    }

    [Fact]
    public void Chart_values_set_the_MCP_origins_and_log_level_and_the_Ingress_makes_the_frontend_trust_the_proxy()
    {
        IDictionary<string, string> Settings(string name) => rendered.HelmWithExistingSecrets.OfType<V1ConfigMap>()
            .Single(map => map.Metadata.Name == RenderedKubernetesFixture.NameOf(RenderedKubernetesFixture.Helm, name)).Data;

        Assert.Equal(RenderedKubernetesFixture.HelmAllowedOrigins, Settings("mcpserver-env")["Mcp__AllowedOrigins"]);
        Assert.Equal(RenderedKubernetesFixture.HelmLogLevel, Settings("mcpserver-env")["Logging__LogLevel__Default"]);
        Assert.Equal("Information", Settings("backend-env")["Logging__LogLevel__Default"]);
        Assert.Equal(ClusterSettings.PrivateNetworks, Settings("frontend-env")["TRUSTED_PROXIES"]);
    }
}
