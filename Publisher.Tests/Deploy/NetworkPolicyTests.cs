using k8s.Models;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Tests.Deploy;

/// <summary>NetworkPolicies: default deny both ways, DNS, then only the paths the AppHost model has.</summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class NetworkPolicyTests(RenderedKubernetesFixture rendered)
{
    /// <summary>The backend's chat agent, and the frontend proxying /mcp for external MCP clients.</summary>
    private static readonly string[] McpClients = ["backend", "frontend"];

    public static TheoryData<string> Variants => RenderedObjects.VariantData();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Everything_of_the_app_is_denied_by_default_in_both_directions_except_DNS(string variant)
    {
        // The shared policies select the app's pods (every one of them), not every pod of the namespace.
        var deny = rendered.Named<V1NetworkPolicy>(variant, "default-deny");
        Assert.Equal(["app.kubernetes.io/instance", "app.kubernetes.io/part-of"], deny.Spec.PodSelector.MatchLabels.Keys.Order());
        foreach (var (_, name, template) in rendered.PodTemplates(variant))
        {
            Assert.All(deny.Spec.PodSelector.MatchLabels, label => Assert.Equal(label.Value, template.Metadata.Labels[label.Key]));
        }

        Assert.Equal(deny.Spec.PodSelector.MatchLabels, rendered.Named<V1NetworkPolicy>(variant, "allow-dns").Spec.PodSelector.MatchLabels);
        Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);
        Assert.Null(deny.Spec.Ingress);
        Assert.Null(deny.Spec.Egress);

        var dns = rendered.Named<V1NetworkPolicy>(variant, "allow-dns").Spec.Egress.Single();
        Assert.Equal(["UDP", "TCP"], dns.Ports.Select(port => port.Protocol));
        Assert.All(dns.Ports, port => Assert.Equal("53", port.Port.Value));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Postgres_takes_traffic_only_from_the_backend_the_MCP_server_and_the_migrator_on_5432(string variant)
    {
        var rule = Policy(variant, "postgres").Spec.Ingress.First();
        Assert.Equal(["backend", "mcpserver", "migrator"], Sources(rule));
        // And from the scheduled backup where there is one (production).
        Assert.Equal(variant == "production" ? [DatabaseBackup.Name] : [], Policy(variant, "postgres").Spec.Ingress.Skip(1).SelectMany(Sources));
        Assert.Equal(["5432"], rule.Ports.Select(port => port.Port.Value));
        Assert.Empty(Policy(variant, "postgres").Spec.Egress ?? []);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_migrator_takes_no_traffic_and_reaches_only_postgres(string variant)
    {
        var policy = Policy(variant, "migrator").Spec;
        Assert.Empty(policy.Ingress ?? []);
        Assert.Equal(["postgres"], policy.Egress.SelectMany(Targets));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_MCP_server_takes_traffic_from_the_workloads_that_reference_it_and_reaches_only_postgres(string variant)
    {
        var rule = Assert.Single(Policy(variant, "mcpserver").Spec.Ingress);
        Assert.Contains("backend", Sources(rule));
        Assert.All(Sources(rule), source => Assert.Contains(source, McpClients));
        Assert.Equal(["postgres"], Policy(variant, "mcpserver").Spec.Egress.SelectMany(Targets));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_backend_reaches_postgres_and_the_MCP_server_and_no_model_endpoint_with_the_builtin_provider(string variant)
    {
        var egress = Policy(variant, "backend").Spec.Egress;
        Assert.Equal(["mcpserver", "postgres"], egress.SelectMany(Targets).Order());
        Assert.All(egress, rule => Assert.NotNull(rule.To)); // no rule open to the whole internet
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_entry_point_takes_traffic_from_anywhere_without_an_Ingress_and_every_other_workload_only_from_named_peers(string variant)
    {
        foreach (var workload in rendered.App.Workloads)
        {
            var rules = Policy(variant, workload.Name).Spec.Ingress ?? [];
            if (workload.IsEntryPoint && variant == "production")
            {
                AssertOnlyFromIngressControllers(Assert.Single(rules), ClusterSettings.IngressControllerNamespaces);
            }
            else if (workload.IsEntryPoint)
            {
                Assert.Null(Assert.Single(rules).FromProperty);
            }
            else
            {
                Assert.All(rules, rule => Assert.NotEmpty(rule.FromProperty));
                // Production also backs the database up, from its own pod.
                var peers = workload.Name == "postgres" && variant == "production" ? [.. workload.Dependents, DatabaseBackup.Name] : workload.Dependents;
                Assert.Equal(peers.Order(), rules.SelectMany(Sources).Order());
            }
        }
    }

    [Fact]
    public void With_the_charts_Ingress_only_the_controllers_namespaces_reach_the_frontend_and_its_X_Forwarded_For_is_believed_from_the_pod_network()
    {
        var policy = rendered.HelmWithExistingSecrets.OfType<V1NetworkPolicy>()
            .Single(p => p.Metadata.Name == RenderedKubernetesFixture.NameOf(RenderedKubernetesFixture.Helm, "frontend"));
        AssertOnlyFromIngressControllers(Assert.Single(policy.Spec.Ingress), ClusterSettings.IngressControllerNamespaces);
        var settings = rendered.HelmWithExistingSecrets.OfType<V1ConfigMap>()
            .Single(map => map.Metadata.Name == RenderedKubernetesFixture.NameOf(RenderedKubernetesFixture.Helm, "frontend-env")).Data;
        Assert.Equal(ClusterSettings.PrivateNetworks, settings["TRUSTED_PROXIES"]);
    }

    /// <summary>The rule admits the entry point's port from pods in <paramref name="namespaces"/> and from nothing else.</summary>
    private static void AssertOnlyFromIngressControllers(V1NetworkPolicyIngressRule rule, IEnumerable<string> namespaces)
    {
        var peer = Assert.Single(rule.FromProperty);
        Assert.Null(peer.PodSelector);
        Assert.Null(peer.IpBlock);
        var expression = Assert.Single(peer.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "In"), (expression.Key, expression.OperatorProperty));
        Assert.Equal(namespaces, expression.Values);
        Assert.Equal(8080, int.Parse(Assert.Single(rule.Ports).Port.Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private V1NetworkPolicy Policy(string variant, string name) => rendered.Named<V1NetworkPolicy>(variant, name);

    private static IEnumerable<string> Sources(V1NetworkPolicyIngressRule rule) =>
        rule.FromProperty.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]).Order();

    private static IEnumerable<string> Targets(V1NetworkPolicyEgressRule rule) =>
        rule.To.Select(peer => peer.PodSelector.MatchLabels["app.kubernetes.io/name"]);
}
