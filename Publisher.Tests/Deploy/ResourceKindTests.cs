using Phase4.Publisher;
using Phase4.Publisher.Compose;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Secrets;
using YamlDotNet.RepresentationModel;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The publisher places each resource by what the AppHost says it is (<c>"x-phase4-kind"</c>), not by its ports and
/// volumes: on a synthetic AppHost a worker without endpoints runs as a Deployment without a Service (it would have
/// been a Job), a Redis with a volume is a cache, never the database, though it comes first with a volume (it would
/// have been taken for the database), and a resource the AppHost says nothing of is refused, naming what to add.
/// </summary>
public sealed class ResourceKindTests : IDisposable
{
    private const string Manifest = """
        {
          "resources": {
            "cache": {
              "type": "container.v0",
              "connectionString": "{cache.bindings.tcp.host}:{cache.bindings.tcp.port}",
              "image": "docker.io/library/redis:8.2",
              "x-phase4-kind": "cache",
              "volumes": [ { "name": "shop-0123abcdef-cache-data", "target": "/data", "readOnly": false } ],
              "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 6379 } }
            },
            "db": {
              "type": "container.v0",
              "connectionString": "Host={db.bindings.tcp.host};Port={db.bindings.tcp.port};Username=postgres;Password={db-password.value}",
              "image": "docker.io/library/postgres:18.3",
              "x-phase4-kind": "database",
              "volumes": [ { "name": "shop-0123abcdef-db-data", "target": "/var/lib/postgresql", "readOnly": false } ],
              "env": { "POSTGRES_PASSWORD": "{db-password.value}" },
              "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 5432 } }
            },
            "shopdb": { "type": "value.v0", "connectionString": "{db.connectionString};Database=shopdb" },
            "db-password": {
              "type": "parameter.v0",
              "value": "{db-password.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 22 } } } }
            },
            "shop": {
              "type": "project.v0",
              "path": "Shop/Shop.csproj",
              "x-phase4-kind": "service",
              "x-phase4-probes": [ { "type": "liveness", "endpoint": "http", "path": "/alive" }, { "type": "readiness", "endpoint": "http", "path": "/ready" } ],
              "env": { "ConnectionStrings__shopdb": "{shopdb.connectionString}", "ConnectionStrings__cache": "{cache.connectionString}" },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "external": true } }
            },
            "mailer": {
              "type": "project.v0",
              "path": "Mailer/Mailer.csproj",
              "x-phase4-kind": "worker",
              "env": { "ConnectionStrings__cache": "{cache.connectionString}" }
            }
          }
        }
        """;

    private readonly SyntheticRepository _repository = new("phase4-kinds-", ("Shop", "USER $APP_UID"), ("Mailer", "USER $APP_UID"));

    [Fact]
    public async Task A_worker_without_endpoints_is_a_Deployment_without_a_Service_and_a_Redis_with_a_volume_is_a_cache()
    {
        var app = KubernetesApp.From(Model(Manifest), _repository.Layout, KubernetesOptions.Default);
        var objects = await RenderAsync(app);

        var mailer = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "mailer");
        Assert.Equal("worker", mailer.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Null(mailer.Spec.Template.Spec.Containers[0].Ports);
        Assert.DoesNotContain(objects.OfType<V1Service>(), service => service.Metadata.Name == "mailer");
        Assert.DoesNotContain(objects.OfType<V1Job>(), job => job.Metadata.Name == "mailer");

        // The cache keeps its data in a StatefulSet, as every workload with a volume does, but it is not the database.
        var cache = objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "cache");
        Assert.Equal("cache", cache.Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);
        Assert.Equal("db", app.DatabaseWorkload?.Name);
        Assert.Equal("database", objects.OfType<V1StatefulSet>().Single(s => s.Metadata.Name == "db").Spec.Template.Metadata.Labels["app.kubernetes.io/component"]);

        // The service's probes are the AppHost's paths, not constants.
        var shop = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "shop").Spec.Template.Spec.Containers[0];
        Assert.Equal("/alive", shop.LivenessProbe.HttpGet.Path);
        Assert.Equal("/ready", shop.ReadinessProbe.HttpGet.Path);
    }

    [Fact]
    public void Apply_holds_the_worker_back_with_the_services_until_the_jobs_have_run()
    {
        var app = KubernetesApp.From(Model(Manifest), _repository.Layout, KubernetesOptions.Default);

        var beforeJobs = Phase4.Publisher.Deploy.DeployCommands.BeforeJobs(app, new Phase4.Publisher.Deploy.KubeContext("dev", IsMinikube: false));

        Assert.Equal("kubectl --context dev apply -f - -l app.kubernetes.io/component notin (service,worker)", string.Join(' ', beforeJobs[^1]));
    }

    [Fact]
    public async Task An_external_database_leaves_out_the_database_and_keeps_the_cache()
    {
        var options = KubernetesOptions.Default with { Database = KubernetesOptions.ExternalDatabase, DatabaseCidr = "10.0.0.0/24" };
        var objects = await RenderAsync(KubernetesApp.From(Model(Manifest), _repository.Layout, options));

        Assert.DoesNotContain(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "db");
        Assert.Contains(objects.OfType<V1StatefulSet>(), s => s.Metadata.Name == "cache");
    }

    [Fact]
    public void In_Compose_the_worker_restarts_like_a_service()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(ComposeWriter.Write(Model(Manifest), ".")));
        var mailer = (YamlMappingNode)((YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode)["services"])["mailer"];

        Assert.Equal("unless-stopped", ((YamlScalarNode)mailer["restart"]).Value);
    }

    [Fact]
    public void A_resource_the_AppHost_says_nothing_of_is_refused_naming_the_annotation_to_add()
    {
        var manifest = Manifest.Replace("\"x-phase4-kind\": \"worker\",", "", StringComparison.Ordinal);

        var refusal = Assert.Throws<NotSupportedException>(() => Model(manifest));

        Assert.StartsWith("mailer: the publisher cannot tell what this project.v0 is", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("\"x-phase4-kind\"", refusal.Message, StringComparison.Ordinal);
        Assert.Contains(".PublishAs(ResourceKind.", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_the_publisher_does_not_know_is_refused_naming_the_known_ones()
    {
        var manifest = Manifest.Replace("\"x-phase4-kind\": \"worker\"", "\"x-phase4-kind\": \"daemon\"", StringComparison.Ordinal);

        var refusal = Assert.Throws<NotSupportedException>(() => Model(manifest));

        Assert.Equal("mailer: \"x-phase4-kind\": \"daemon\" is not one of service, worker, job, database, cache.", refusal.Message);
    }

    public void Dispose() => _repository.Dispose();

    private DeploymentModel Model(string manifest) => _repository.Model(manifest);

    private Task<IReadOnlyList<object>> RenderAsync(KubernetesApp app) => _repository.RenderAsync(app);
}
