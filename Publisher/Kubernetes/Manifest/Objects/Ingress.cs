namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

internal sealed record Ingress(ObjectMeta Metadata, IngressSpec Spec) : KubernetesObject("networking.k8s.io/v1", "Ingress");

internal sealed record IngressSpec(Value<string>? IngressClassName, Value<IngressTls[]>? Tls, IReadOnlyList<IngressRule> Rules);

internal sealed record IngressTls(IReadOnlyList<Value<string>> Hosts, Value<string> SecretName);

internal sealed record IngressRule(Value<string> Host, HttpIngressRuleValue Http);

internal sealed record HttpIngressRuleValue(IReadOnlyList<HttpIngressPath> Paths);

internal sealed record HttpIngressPath(string Path, string PathType, IngressBackend Backend);

internal sealed record IngressBackend(IngressServiceBackend Service);

internal sealed record IngressServiceBackend(Value<string> Name, ServiceBackendPort Port);

internal sealed record ServiceBackendPort(string Name);
