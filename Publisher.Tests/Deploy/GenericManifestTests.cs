using k8s;
using k8s.Models;
using Phase4.Publisher;
using Phase4.Publisher.Compose;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The publisher is generic over the Aspire manifest: on a synthetic AppHost that is not Phase4's — two API projects,
/// a Redis whose password reaches it through its arguments from a Secret, a container with its own entry point — it
/// takes arguments, entry points, users, probes and components from the manifest or its table of known images, and
/// refuses an image it knows nothing about, naming what to add.
/// </summary>
public sealed class GenericManifestTests : IDisposable
{
    private const string Manifest = """
        {
          "resources": {
            "cache": {
              "type": "container.v0",
              "connectionString": "{cache.bindings.tcp.host}:{cache.bindings.tcp.port},password={cache-password.value}",
              "image": "docker.io/library/redis:8.2",
              "x-phase4-kind": "cache",
              "args": [ "--requirepass", "{cache-password.value}", "--save", "" ],
              "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 6379 } }
            },
            "cache-password": {
              "type": "parameter.v0",
              "value": "{cache-password.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 22, "special": false } } } }
            },
            "token-key": {
              "type": "parameter.v0",
              "value": "{token-key.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "x-phase4-generate": { "kind": "p256-private-key" } } } }
            },
            "token-public-key": {
              "type": "parameter.v0",
              "value": "{token-public-key.inputs.value}",
              "inputs": { "value": { "type": "string", "default": { "x-phase4-generate": { "kind": "public-key-of", "of": "token-key" } } } }
            },
            "orders": {
              "type": "project.v0",
              "path": "Orders/Orders.csproj",
              "x-phase4-kind": "service",
              "x-phase4-probes": [ { "type": "liveness", "endpoint": "http", "path": "/alive" }, { "type": "readiness", "endpoint": "http", "path": "/health" } ],
              "env": { "ConnectionStrings__cache": "{cache.connectionString}", "Tokens__SigningKey": "{token-key.value}" },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } }
            },
            "catalog": {
              "type": "project.v0",
              "path": "Catalog/Catalog.csproj",
              "x-phase4-kind": "service",
              "x-phase4-probes": [ { "type": "liveness", "endpoint": "http", "path": "/alive" }, { "type": "readiness", "endpoint": "http", "path": "/health" } ],
              "env": { "services__orders__http__0": "{orders.bindings.http.url}", "Tokens__PublicKey": "{token-public-key.value}" },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "external": true } }
            },
            "indexer": {
              "type": "container.v1",
              "build": { "context": "Indexer", "dockerfile": "Indexer/Dockerfile" },
              "entrypoint": "/app/indexer",
              "x-phase4-kind": "service",
              "args": [ "--catalog", "{catalog.bindings.http.url}" ],
              "env": { "INDEX_INTERVAL": "00:05:00" },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "targetPort": 8080 } }
            }
          }
        }
        """;

    private readonly SyntheticRepository _repository = new("phase4-generic-", ("Orders", "USER $APP_UID"), ("Catalog", "USER $APP_UID"), ("Indexer", "USER 10001"));

    [Fact]
    public async Task Arguments_entry_points_users_probes_and_components_come_from_the_manifest_and_the_known_images()
    {
        var app = KubernetesApp.From(Model(Manifest), _repository.Layout, KubernetesOptions.Default);
        var objects = await RenderAsync(app);
        IDictionary<string, string> SecretOf(V1PodTemplateSpec template) => EnvironmentOf(objects, template);

        // Redis: its password reaches it through an argument, as a Secret key Kubernetes expands ($(NAME)).
        var cache = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "cache").Spec.Template;
        Assert.Equal(["--requirepass", "$(PHASE4_ARG_1)", "--save", ""], cache.Container().Args);
        var password = SecretOf(cache)["PHASE4_ARG_1"];
        Assert.Matches("^[A-Za-z0-9]{32}$", password);
        Assert.Equal(999, cache.Spec.SecurityContext.RunAsUser);
        Assert.Equal("tcp", cache.Container().ReadinessProbe.TcpSocket.Port.Value);
        Assert.Equal("cache", cache.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Contains($"password={password}", SecretOf(objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "orders").Spec.Template)["ConnectionStrings__cache"], StringComparison.Ordinal);

        // The built container: its own entry point, arguments with a service's address, the Dockerfile's numeric user.
        var indexer = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "indexer").Spec.Template;
        Assert.Equal(["/app/indexer"], indexer.Container().Command);
        Assert.Equal(["--catalog", "http://catalog:8080"], indexer.Container().Args);
        Assert.Equal(10001, indexer.Spec.SecurityContext.RunAsUser);

        // Two API projects, each its own image, probes and policy; the one referencing the other may reach it.
        foreach (var api in new[] { "orders", "catalog" })
        {
            var template = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == api).Spec.Template;
            Assert.Equal($"phase4/{api}:generated", template.Container().Image);
            Assert.Equal("/health", template.Container().ReadinessProbe.HttpGet.Path);
            Assert.Equal("service", template.Metadata.Labels["app.kubernetes.io/component"]);
        }

        var catalogEgress = objects.OfType<V1NetworkPolicy>().Single(p => p.Metadata.Name == "catalog").Spec.Egress;
        Assert.Contains(catalogEgress, rule => rule.To?.Any(peer => peer.PodSelector?.MatchLabels["app.kubernetes.io/name"] == "orders") == true);
    }

    [Fact]
    public async Task A_key_pair_is_generated_for_parameters_the_manifest_says_are_one_whatever_their_names()
    {
        var objects = await RenderAsync(KubernetesApp.From(Model(Manifest), _repository.Layout, KubernetesOptions.Default));
        V1PodTemplateSpec Template(string name) => objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == name).Spec.Template;

        // Env files hold one line per variable, so a PEM's line breaks are written as \n (JwtKeys reads both).
        var privateKey = EnvironmentOf(objects, Template("orders"))["Tokens__SigningKey"].Replace("\\n", "\n", StringComparison.Ordinal);
        var publicKey = EnvironmentOf(objects, Template("catalog"))["Tokens__PublicKey"].Replace("\\n", "\n", StringComparison.Ordinal);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privateKey, StringComparison.Ordinal);
        Assert.Equal(Phase4.SigningKeys.JwtKeys.PublicKeyPemOf(privateKey), publicKey);
    }

    [Fact]
    public void A_generated_value_of_a_kind_the_publisher_does_not_know_is_refused_naming_it()
    {
        var manifest = Manifest.Replace("\"kind\": \"p256-private-key\"", "\"kind\": \"rsa-4096-private-key\"", StringComparison.Ordinal);

        var refusal = Assert.Throws<NotSupportedException>(() => Model(manifest));

        Assert.Equal("token-key: the publisher cannot generate a value of kind 'rsa-4096-private-key' (x-phase4-generate in the manifest).", refusal.Message);
    }

    /// <summary>The variables a pod gets from its Secrets and ConfigMaps (their names carry Kustomize's hash).</summary>
    private static Dictionary<string, string> EnvironmentOf(IReadOnlyList<object> objects, V1PodTemplateSpec template)
    {
        var sources = template.Container().EnvFrom;
        var secrets = objects.OfType<V1Secret>()
            .Where(secret => sources.Any(source => source.SecretRef?.Name == secret.Metadata.Name))
            .SelectMany(secret => (secret.Data ?? new Dictionary<string, byte[]>()).Select(entry => KeyValuePair.Create(entry.Key, System.Text.Encoding.UTF8.GetString(entry.Value))));
        var configMaps = objects.OfType<V1ConfigMap>()
            .Where(map => sources.Any(source => source.ConfigMapRef?.Name == map.Metadata.Name))
            .SelectMany(map => map.Data ?? new Dictionary<string, string>());
        return secrets.Concat(configMaps).ToDictionary(entry => entry.Key, entry => entry.Value);
    }

    [Fact]
    public void Compose_passes_the_arguments_and_entry_point_with_the_secret_from_the_env_file()
    {
        var services = (YamlMappingNode)ComposeDocument(ComposeWriter.Write(Model(Manifest), "."))["services"];

        Assert.Equal(["--requirepass", "${CACHE_PASSWORD:?missing: run the publisher secrets command}", "--save", ""], Strings(services, "cache", "command"));
        Assert.Equal(["/app/indexer"], Strings(services, "indexer", "entrypoint"));
        Assert.Equal(["--catalog", "http://catalog:8080"], Strings(services, "indexer", "command"));
    }

    private static YamlMappingNode ComposeDocument(string compose)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(compose));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string[] Strings(YamlMappingNode services, string service, string key) =>
        [.. ((YamlSequenceNode)((YamlMappingNode)services[service])[key]).Children.Select(item => ((YamlScalarNode)item).Value!)];

    [Fact]
    public void An_image_the_publisher_knows_nothing_about_is_refused_naming_the_table_to_add_it_to()
    {
        var manifest = Manifest.Replace("docker.io/library/redis:8.2", "docker.io/acme/queue:3", StringComparison.Ordinal);

        var refusal = Assert.Throws<NotSupportedException>(() => Model(manifest));

        Assert.Contains("cache: the publisher knows nothing of the image docker.io/acme/queue:3", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Publisher/Model/KnownImages.cs", refusal.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _repository.Dispose();

    private DeploymentModel Model(string manifest) => _repository.Model(manifest);

    private Task<IReadOnlyList<object>> RenderAsync(KubernetesApp app) => _repository.RenderAsync(app);
}
