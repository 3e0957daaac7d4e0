using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The custom resources the output may hold, typed from their CRDs' <c>v1</c> OpenAPI schemas so that the strict parse of
/// a rendering refuses a field the CRD does not have, and checked for what the schemas require:
/// <list type="bullet">
/// <item>ExternalSecret: external-secrets/external-secrets config/crds/bases/external-secrets.io_externalsecrets.yaml
/// (v1 served and stored; spec.data[] requires secretKey and remoteRef, remoteRef requires key; secretStoreRef.kind is
/// SecretStore or ClusterSecretStore, its name a DNS subdomain; target.creationPolicy one of Owner, Orphan, Merge, None,
/// CreateOrMerge; template.engineVersion only v2; refreshInterval a Go duration, default 1h0m0s), and the webhook's rules
/// (apis/externalsecrets/v1/externalsecret_validator.go: "either data or dataFrom should be specified", no duplicate
/// secret keys).</item>
/// <item>HTTPRoute: kubernetes-sigs/gateway-api config/crd/standard/gateway.networking.k8s.io_httproutes.yaml (v1
/// served and stored; spec required; parentRefs[] require name, at most 32, namespace a DNS label, sectionName a DNS
/// subdomain; hostnames at most 16, each a DNS name with an optional leading <c>*.</c>; rules 1 to 16; a path match is
/// Exact, PathPrefix or RegularExpression and a prefix starts with '/'; backendRefs[] require name, and a Service
/// reference its port, 1 to 65535: "Must have port for Service reference").</item>
/// </list>
/// </summary>
internal static partial class CustomResources
{
    /// <summary>The strict parse's types for them (keys as KubernetesYaml spells them: group/version/kind).</summary>
    public static Dictionary<string, Type> TypeMap { get; } = new(StringComparer.Ordinal)
    {
        ["external-secrets.io/v1/ExternalSecret"] = typeof(ExternalSecretResource),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRouteResource),
    };

    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, TypeMap, strict: true);

    public static void AssertValid(ExternalSecretResource resource)
    {
        var spec = resource.Spec;
        Assert.Matches(DnsSubdomain(), spec.SecretStoreRef.Name);
        Assert.Contains(spec.SecretStoreRef.Kind, (string[])["SecretStore", "ClusterSecretStore"]);
        Assert.Matches(GoDuration(), spec.RefreshInterval);
        Assert.False(string.IsNullOrEmpty(spec.Target.Name));
        Assert.Contains(spec.Target.CreationPolicy, (string[])["Owner", "Orphan", "Merge", "None", "CreateOrMerge"]);
        Assert.Equal("v2", spec.Target.Template.EngineVersion);
        Assert.NotEmpty(spec.Data);
        Assert.All(spec.Data, item => Assert.False(string.IsNullOrEmpty(item.SecretKey) || string.IsNullOrEmpty(item.RemoteRef.Key)));
        Assert.Equal(spec.Data.Count, spec.Data.Select(item => item.SecretKey).Distinct().Count());
    }

    public static void AssertValid(HttpRouteResource route)
    {
        var spec = route.Spec;
        Assert.InRange(spec.ParentRefs.Count, 1, 32);
        foreach (var parent in spec.ParentRefs)
        {
            Assert.False(string.IsNullOrEmpty(parent.Name));
            Assert.True(parent.Namespace is null || DnsLabel().IsMatch(parent.Namespace), parent.Namespace);
            Assert.True(parent.SectionName is null || DnsSubdomain().IsMatch(parent.SectionName), parent.SectionName);
        }

        Assert.InRange(spec.Hostnames.Count, 0, 16);
        Assert.All(spec.Hostnames, host => Assert.Matches(Hostname(), host));
        Assert.InRange(spec.Rules.Count, 1, 16);
        foreach (var rule in spec.Rules)
        {
            Assert.All(rule.Matches, match =>
            {
                Assert.Contains(match.Path.Type, (string[])["Exact", "PathPrefix", "RegularExpression"]);
                Assert.StartsWith("/", match.Path.Value, StringComparison.Ordinal);
            });
            Assert.All(rule.BackendRefs, backend =>
            {
                Assert.False(string.IsNullOrEmpty(backend.Name));
                Assert.True(backend.Kind is null or "Service" && backend.Group is null or "");
                Assert.InRange(Assert.NotNull(backend.Port), 1, 65535);
            });
        }
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Hostname();

    /// <summary>Go's time.ParseDuration units ("ns", "us" (or "µs"), "ms", "s", "m", "h"), as the CRD's description lists them.</summary>
    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}

internal sealed class ExternalSecretResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public ExternalSecretSpecification Spec { get; set; } = new();
}

internal sealed class ExternalSecretSpecification
{
    public string RefreshInterval { get; set; } = "";

    public StoreReference SecretStoreRef { get; set; } = new();

    public SecretTarget Target { get; set; } = new();

    public List<SecretData> Data { get; set; } = [];
}

internal sealed class StoreReference
{
    public string Name { get; set; } = "";

    public string Kind { get; set; } = "";
}

internal sealed class SecretTarget
{
    public string Name { get; set; } = "";

    public string CreationPolicy { get; set; } = "";

    public SecretTemplate Template { get; set; } = new();
}

internal sealed class SecretTemplate
{
    public string EngineVersion { get; set; } = "";

    public string? MergePolicy { get; set; }

    public string Type { get; set; } = "";

    public TemplateMetadata Metadata { get; set; } = new();

    public Dictionary<string, string> Data { get; set; } = [];
}

internal sealed class TemplateMetadata
{
    public Dictionary<string, string> Labels { get; set; } = [];

    public Dictionary<string, string>? Annotations { get; set; }
}

internal sealed class SecretData
{
    public string SecretKey { get; set; } = "";

    public RemoteReference RemoteRef { get; set; } = new();
}

internal sealed class RemoteReference
{
    public string Key { get; set; } = "";

    public string? Property { get; set; }

    public string? Version { get; set; }
}

internal sealed class HttpRouteResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public RouteSpec Spec { get; set; } = new();
}

internal sealed class RouteSpec
{
    public List<RouteParent> ParentRefs { get; set; } = [];

    public List<string> Hostnames { get; set; } = [];

    public List<RouteRule> Rules { get; set; } = [];
}

internal sealed class RouteParent
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string Name { get; set; } = "";

    public string? Namespace { get; set; }

    public string? SectionName { get; set; }

    public int? Port { get; set; }
}

internal sealed class RouteRule
{
    public List<RouteMatch> Matches { get; set; } = [];

    public List<RouteBackend> BackendRefs { get; set; } = [];
}

internal sealed class RouteMatch
{
    public PathMatch Path { get; set; } = new();
}

internal sealed class PathMatch
{
    public string Type { get; set; } = "";

    public string Value { get; set; } = "";
}

internal sealed class RouteBackend
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string Name { get; set; } = "";

    public string? Namespace { get; set; }

    public int? Port { get; set; }

    public int? Weight { get; set; }
}
