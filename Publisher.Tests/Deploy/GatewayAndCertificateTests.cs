using k8s.Models;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The production entry through the Gateway API instead of the Ingress, and cert-manager's annotations, on real renders:
/// <c>kubectl kustomize</c> of the kustomization <c>apply</c> writes, and <c>helm template</c> / <c>helm lint --strict</c>
/// of the chart. The HTTPRoute is checked against the Gateway API v1 schema (<see cref="CustomResources"/>). cert-manager
/// (website content/docs/usage/ingress.md, "Supported Annotations"): <c>cert-manager.io/issuer</c> names an Issuer in the
/// Ingress's namespace, <c>cert-manager.io/cluster-issuer</c> a ClusterIssuer, and ingress-shim creates a Certificate
/// writing the Secret named in <c>tls.secretName</c>; for a Gateway (usage/gateway.md) the annotation goes on the Gateway,
/// which is the operator's.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class GatewayAndCertificateTests(RenderedKubernetesFixture rendered) : IDisposable
{
    private const string Host = "todo.example.org";

    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private readonly DirectoryInfo _output = CopyOfOutputWithChart();

    /// <summary>
    /// <c>apply --overlay production --gateway</c>: an HTTPRoute from the named Gateway's listener to the frontend's
    /// Service port replaces the Ingress, only the Gateway's namespace reaches the frontend, and no IngressClass is asked
    /// for (the cluster here has no default one). <c>kubectl apply</c> deletes nothing the manifests leave out (kubectl
    /// apply --help: "--prune=false: Automatically delete resource objects, that do not appear in the configs"), so an
    /// Ingress an earlier apply created is deleted by name afterwards (kubectl delete --help: "TYPE [(NAME | -l label)]",
    /// "--ignore-not-found"); destroy names the route's kind, <c>httproutes.gateway.networking.k8s.io</c>, only when apply
    /// wrote one (the kind exists only where the Gateway API's CRDs are installed).
    /// </summary>
    [Fact]
    public async Task Apply_with_a_Gateway_routes_through_an_HTTPRoute_instead_of_the_Ingress()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);
        tools.IngressClasses = "nginx false\n";
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org", "--host", Host,
            "--gateway", "public", "--gateway-namespace", "gateways", "--gateway-section", "https"]).ApplySettings(ImageTags.Of("v1"));
        var console = new StringWriter();

        Assert.Equal(0, await new DeployVerbs(Repository, _output.FullName, tools.Runner(dryRun: false, console)).ApplyAsync(rendered.App, settings, kubeContext: null, confirmed: false));

        // What apply applied: its render, on kubectl's standard input.
        var objects = CustomResources.Parse(tools.Inputs.Last(entry => entry.Command == "kubectl --context prod apply -f -").Input);
        Assert.Empty(objects.OfType<V1Ingress>());
        var route = Assert.Single(objects.OfType<HttpRouteResource>());
        CustomResources.AssertValid(route);
        Assert.Equal(("frontend", KubernetesApp.DefaultNamespace), (route.Metadata.Name, route.Metadata.NamespaceProperty));
        var parent = Assert.Single(route.Spec.ParentRefs);
        Assert.Equal(("public", "gateways", "https"), (parent.Name, parent.Namespace, parent.SectionName));
        Assert.Equal([Host], route.Spec.Hostnames);
        AssertRoutesToTheFrontendService(route, objects, "frontend");
        AssertOnlyFrom(objects, "frontend", "gateways");
        Assert.Equal($"https://{Host}", objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name.StartsWith("frontend-env-", StringComparison.Ordinal)).Data["PUBLIC_ORIGIN"]);
        Assert.DoesNotContain(tools.Commands, command => command.Contains(" ingressclass ", StringComparison.Ordinal));
        // An Ingress an earlier apply left is deleted once the route is applied (kubectl apply prunes nothing).
        Assert.Equal("kubectl --context prod -n phase4 delete ingress frontend --ignore-not-found --wait=true", tools.Commands[^1]);
        Assert.Contains($"Open the app: https://{Host}", console.ToString(), StringComparison.Ordinal);

        // destroy deletes the route too (by the app's labels; the kind named only when apply wrote one).
        Assert.Equal(0, await new DeployVerbs(Repository, _output.FullName, tools.Runner(dryRun: false, new StringWriter())).DestroyAsync(kubeContext: null, KubernetesApp.DefaultNamespace, purge: false));
        Assert.Contains(tools.Commands, command => command.Contains(",configmap,httproutes.gateway.networking.k8s.io -l ", StringComparison.Ordinal));
    }

    /// <summary>Without <c>--gateway-namespace</c> the Gateway is in the app's namespace: the parent reference names none.</summary>
    [Fact]
    public async Task A_Gateway_in_the_apps_namespace_is_referenced_without_one_and_its_namespace_reaches_the_frontend()
    {
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org", "--host", Host, "--gateway", "public"]).ApplySettings(ImageTags.Of("v1"));
        WriteApplyKustomization(settings);

        var objects = await RenderApplyAsync();
        var parent = Assert.Single(Assert.Single(objects.OfType<HttpRouteResource>()).Spec.ParentRefs);
        Assert.Equal(("public", null, null), (parent.Name, parent.Namespace, parent.SectionName));
        AssertOnlyFrom(objects, "frontend", KubernetesApp.DefaultNamespace);
    }

    [Theory]
    [InlineData("--cluster-issuer", "letsencrypt", "cert-manager.io/cluster-issuer")]
    [InlineData("--cert-issuer", "team-ca", "cert-manager.io/issuer")]
    public async Task Apply_annotates_the_Ingress_for_cert_manager_which_issues_the_Secret_it_names(string option, string issuer, string annotation)
    {
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org", "--host", Host, option, issuer]).ApplySettings(ImageTags.Of("v1"));
        WriteApplyKustomization(settings);

        var ingress = Assert.Single((await RenderApplyAsync()).OfType<V1Ingress>());
        Assert.Equal(new Dictionary<string, string> { [annotation] = issuer }, ingress.Metadata.Annotations);
        Assert.Equal([Host], Assert.Single(ingress.Spec.Tls).Hosts);
        Assert.Equal(KubernetesApp.DefaultTlsSecretName, ingress.Spec.Tls[0].SecretName);
    }

    [Theory]
    [InlineData("--gateway public", "add --overlay production")]
    [InlineData("--overlay production --registry r.example.org --host h.example.org --gateway-namespace gateways", "add --gateway NAME")]
    [InlineData("--overlay production --registry r.example.org --host h.example.org --gateway public --ingress-class nginx", "--gateway replaces the Ingress")]
    [InlineData("--overlay production --registry r.example.org --host h.example.org --gateway public --cluster-issuer le", "annotate your Gateway")]
    [InlineData("--overlay production --registry r.example.org --host h.example.org --cert-issuer a --cluster-issuer b", "give one of them")]
    [InlineData("--overlay production --registry r.example.org --host h.example.org --gateway Public", "--gateway must be a Gateway's name")]
    public void Contradicting_or_incomplete_entry_options_are_refused_naming_what_to_change(string arguments, string message)
    {
        var failure = Assert.Throws<ArgumentException>(() => CommandLine.Parse(arguments.Split(' ')).ApplySettings(ImageTags.Of("v1")));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The chart with <c>gateway.*</c> (as <c>apply --chart --gateway</c> writes them): an HTTPRoute, no Ingress, the
    /// frontend reachable from the Gateway's namespace only, the public origin its host; and it lints strictly.
    /// </summary>
    [Fact]
    public async Task The_chart_routes_through_the_Gateway_apply_names_instead_of_its_Ingress()
    {
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org", "--host", Host,
            "--gateway", "public", "--gateway-namespace", "gateways", "--gateway-section", "https"]).ApplySettings(ImageTags.Of("v1"));
        var values = Path.Combine(_output.FullName, "gateway-values.yaml");
        await File.WriteAllTextAsync(values, HelmRelease.Values(rendered.App, settings));

        var objects = await RenderChartAsync(["--values", values]);
        Assert.Empty(objects.OfType<V1Ingress>());
        var route = Assert.Single(objects.OfType<HttpRouteResource>());
        CustomResources.AssertValid(route);
        var parent = Assert.Single(route.Spec.ParentRefs);
        Assert.Equal(("public", "gateways", "https"), (parent.Name, parent.Namespace, parent.SectionName));
        Assert.Equal([Host], route.Spec.Hostnames);
        AssertRoutesToTheFrontendService(route, objects, "phase4-frontend");
        AssertOnlyFrom(objects, "phase4-frontend", "gateways");
        var settingsOf = objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name == "phase4-frontend-env").Data;
        Assert.Equal(($"https://{Host}", ClusterSettings.PrivateNetworks), (settingsOf["PUBLIC_ORIGIN"], settingsOf["TRUSTED_PROXIES"]));
        Assert.Contains("0 chart(s) failed", await KubernetesTools.HelmAsync(["lint", "./" + ChartWriter.Folder, "--strict", "--set", "imageTag=v1", "--values", values], _output.FullName), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_charts_Gateway_defaults_to_the_release_namespace_and_is_required_by_name()
    {
        var objects = await RenderChartAsync(["--set", "gateway.enabled=true", "--set", "gateway.name=public"]);
        Assert.Null(Assert.Single(Assert.Single(objects.OfType<HttpRouteResource>()).Spec.ParentRefs).Namespace);
        AssertOnlyFrom(objects, "phase4-frontend", KubernetesApp.DefaultNamespace);

        var unnamed = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderChartAsync(["--set", "gateway.enabled=true"]));
        Assert.Contains("gateway.name is required with gateway.enabled", unnamed.Message, StringComparison.Ordinal);
        var both = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderChartAsync(["--set", "gateway.enabled=true", "--set", "gateway.name=public", "--set", "ingress.enabled=true"]));
        Assert.Contains("set ingress.enabled=false", both.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ingress.tls.clusterIssuer", "cert-manager.io/cluster-issuer")]
    [InlineData("ingress.tls.issuer", "cert-manager.io/issuer")]
    public async Task The_charts_Ingress_carries_the_cert_manager_annotation_of_the_issuer_named(string value, string annotation)
    {
        var ingress = Assert.Single((await RenderChartAsync(["--set", "ingress.enabled=true", "--set", $"{value}=letsencrypt"])).OfType<V1Ingress>());
        Assert.Equal(new Dictionary<string, string> { [annotation] = "letsencrypt" }, ingress.Metadata.Annotations);
        Assert.Null(Assert.Single((await RenderChartAsync(["--set", "ingress.enabled=true"])).OfType<V1Ingress>()).Metadata.Annotations);

        var both = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RenderChartAsync(["--set", "ingress.enabled=true", "--set", "ingress.tls.issuer=a", "--set", "ingress.tls.clusterIssuer=b"]));
        Assert.Contains("set one of them", both.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _output.Delete(recursive: true);

    /// <summary>The committed output's YAML and the whole chart (its schema, helpers and notes too).</summary>
    private static DirectoryInfo CopyOfOutputWithChart()
    {
        var output = DeployCommandTests.CopyOfOutput();
        var chart = Path.Combine(Repository.DefaultOutputFolder, ChartWriter.Folder);
        foreach (var file in Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(output.FullName, ChartWriter.Folder, Path.GetRelativePath(chart, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        return output;
    }

    /// <summary>The kustomization apply writes, and the secret files the base's generators read (apply creates them too).</summary>
    private void WriteApplyKustomization(ApplySettings settings)
    {
        Publisher.Secrets.SecretFiles.Write(rendered.App, _output.FullName,
            Publisher.Secrets.InputValues.CreateMissing(rendered.App.Inputs, new Dictionary<string, string>(), _ => null));
        var folder = Path.Combine(_output.FullName, DeployCommands.ApplyFolder, settings.Overlay);
        Directory.CreateDirectory(folder);
        foreach (var (name, content) in ApplyKustomization.Write(rendered.App, settings))
        {
            File.WriteAllText(Path.Combine(folder, name), content);
        }
    }

    /// <summary>kubectl kustomize of the production kustomization apply wrote.</summary>
    private async Task<IReadOnlyList<object>> RenderApplyAsync() => CustomResources.Parse(await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], Path.Combine(_output.FullName, DeployCommands.ApplyFolder, "production")));

    private async Task<IReadOnlyList<object>> RenderChartAsync(string[] arguments) => CustomResources.Parse(await KubernetesTools.HelmAsync(
        ["template", RenderedKubernetesFixture.HelmRelease, "./" + ChartWriter.Folder, "--namespace", KubernetesApp.DefaultNamespace, "--set", $"imageTag={RenderedKubernetesFixture.HelmImageTag}", .. arguments],
        _output.FullName));

    /// <summary>The route's one rule: every path to the frontend Service's port (the number, as a Service backend requires).</summary>
    private static void AssertRoutesToTheFrontendService(HttpRouteResource route, IReadOnlyList<object> objects, string service)
    {
        var rule = Assert.Single(route.Spec.Rules);
        Assert.Equal(("PathPrefix", "/"), (Assert.Single(rule.Matches).Path.Type, rule.Matches[0].Path.Value));
        var backend = Assert.Single(rule.BackendRefs);
        Assert.Equal(service, backend.Name);
        Assert.Contains(backend.Port!.Value, objects.OfType<V1Service>().Single(s => s.Metadata.Name == service).Spec.Ports.Select(port => port.Port));
    }

    private static void AssertOnlyFrom(IReadOnlyList<object> objects, string policy, string gatewayNamespace)
    {
        var rule = Assert.Single(objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == policy).Spec.Ingress);
        var peer = Assert.Single(rule.FromProperty);
        Assert.Null(peer.PodSelector);
        var expression = Assert.Single(peer.NamespaceSelector.MatchExpressions);
        Assert.Equal(("kubernetes.io/metadata.name", "In"), (expression.Key, expression.OperatorProperty));
        Assert.Equal([gatewayNamespace], expression.Values);
    }
}
