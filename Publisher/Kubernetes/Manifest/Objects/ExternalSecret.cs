namespace Phase4.Publisher.Kubernetes.Manifest.Objects;

/// <summary>
/// The External Secrets Operator's <c>ExternalSecret</c>, in the fields the publisher writes (external-secrets/external-secrets
/// config/crds/bases/external-secrets.io_externalsecrets.yaml, version <c>v1</c>, served and stored).
/// </summary>
internal sealed record ExternalSecret(ObjectMeta Metadata, ExternalSecretSpec Spec) : KubernetesObject("external-secrets.io/v1", "ExternalSecret");

/// <summary>What to read (<paramref name="Data"/>: one entry per remote key), from which store, how often, into which Secret.</summary>
internal sealed record ExternalSecretSpec(
    Value<string> RefreshInterval,
    SecretStoreRef SecretStoreRef,
    ExternalSecretTarget Target,
    IReadOnlyList<Item<ExternalSecretData>> Data);

internal sealed record SecretStoreRef(Value<string> Name, Value<string> Kind);

/// <summary>The Secret the operator writes; <c>Owner</c>: it belongs to the ExternalSecret and goes with it.</summary>
internal sealed record ExternalSecretTarget(Value<string> Name, string CreationPolicy, ExternalSecretTemplate Template);

/// <summary>The Secret's blueprint: each of its keys a Go template (engine <c>v2</c>) over the data's secret keys.</summary>
internal sealed record ExternalSecretTemplate(string EngineVersion, string Type, ExternalSecretTemplateMetadata Metadata, Mapping Data);

internal sealed record ExternalSecretTemplateMetadata(Mapping Labels);

/// <summary>The remote key <paramref name="RemoteRef"/> read as <paramref name="SecretKey"/> for the template.</summary>
internal sealed record ExternalSecretData(string SecretKey, ExternalSecretDataRemoteRef RemoteRef);

internal sealed record ExternalSecretDataRemoteRef(Value<string> Key);
