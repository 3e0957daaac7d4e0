namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>
/// The Gateway API's <c>HTTPRoute</c> (kubernetes-sigs/gateway-api config/crd/standard/gateway.networking.k8s.io_httproutes.yaml,
/// version <c>v1</c>): the public host routed from a Gateway's listener to a Service port.
/// </summary>
internal sealed record HttpRoute(ObjectMeta Metadata, HttpRouteSpec Spec) : KubernetesObject("gateway.networking.k8s.io/v1", "HTTPRoute");

internal sealed record HttpRouteSpec(IReadOnlyList<ParentReference> ParentRefs, IReadOnlyList<Value<string>> Hostnames, IReadOnlyList<HttpRouteRule> Rules);

/// <summary>The Gateway (in <paramref name="Namespace"/>, the route's when absent) and, optionally, its listener.</summary>
internal sealed record ParentReference(Value<string> Name, Value<string>? Namespace, Value<string>? SectionName);

internal sealed record HttpRouteRule(IReadOnlyList<HttpRouteMatch> Matches, IReadOnlyList<HttpBackendRef> BackendRefs);

internal sealed record HttpRouteMatch(HttpPathMatch Path);

internal sealed record HttpPathMatch(string Type, string Value);

/// <summary>A Service and its port number (required for a Service: the CRD's rule "Must have port for Service reference").</summary>
internal sealed record HttpBackendRef(Value<string> Name, int Port);
