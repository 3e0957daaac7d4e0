using Phase4.Publisher;
using Phase4.Publisher.Compose;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;

namespace Phase4.Tests.Deploy;

/// <summary>How manifest expressions become deployment settings, on a small hand-written manifest.</summary>
public sealed class ModelBuilderTests : IDisposable
{
    private const string Manifest = """
        {
          "resources": {
            "db": {
              "type": "container.v0",
              "connectionString": "Host={db.bindings.tcp.host};Port={db.bindings.tcp.port};Password={db-password.value}",
              "image": "docker.io/library/postgres:18.3",
              "x-phase4-kind": "database",
              "volumes": [ { "name": "apphost-0123abcdef-db-data", "target": "/var/lib/postgresql", "readOnly": false } ],
              "env": { "POSTGRES_PASSWORD": "{db-password.value}" },
              "bindings": { "tcp": { "scheme": "tcp", "protocol": "tcp", "transport": "tcp", "targetPort": 5432 } }
            },
            "appdb": { "type": "value.v0", "connectionString": "{db.connectionString};Database=appdb" },
            "db-password": {
              "type": "parameter.v0",
              "value": "{db-password.inputs.value}",
              "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 22 } } } }
            },
            "api": {
              "type": "project.v0",
              "path": "Api/Api.csproj",
              "x-phase4-kind": "service",
              "env": {
                "ConnectionStrings__appdb": "{appdb.connectionString}",
                "PRICE": "costs $5",
                "services__web__http__0": "{web.bindings.http.url}",
                "services__web__https__0": "{web.bindings.https.url}"
              },
              "bindings": { "http": { "scheme": "http", "protocol": "tcp", "transport": "http" } }
            },
            "web": {
              "type": "project.v0",
              "path": "Web/Web.csproj",
              "x-phase4-kind": "service",
              "bindings": {
                "http": { "scheme": "http", "protocol": "tcp", "transport": "http", "external": true },
                "https": { "scheme": "https", "protocol": "tcp", "transport": "http", "external": true }
              }
            }
          }
        }
        """;

    private readonly DirectoryInfo _repository = Directory.CreateTempSubdirectory("phase4-model-");
    private readonly DeploymentModel _model;

    public ModelBuilderTests()
    {
        File.WriteAllText(Path.Combine(_repository.FullName, RepositoryLayout.SolutionFile), "");
        foreach (var project in new[] { "Api", "Web" })
        {
            Directory.CreateDirectory(Path.Combine(_repository.FullName, project));
            File.WriteAllText(Path.Combine(_repository.FullName, project, "Dockerfile"), "FROM scratch\n");
        }

        var manifestPath = Path.Combine(_repository.FullName, "manifest.json");
        File.WriteAllText(manifestPath, Manifest);
        _model = ModelBuilder.Build(ManifestReader.Read(manifestPath), new RepositoryLayout(_repository.FullName));
    }

    [Fact]
    public void Https_endpoints_and_the_variables_pointing_at_them_are_left_out()
    {
        var api = Workload("api");
        Assert.Contains(api.Environment, variable => variable.Name == "services__web__http__0" && Literal(variable) == "http://web:8080");
        Assert.DoesNotContain(api.Environment, variable => variable.Name == "services__web__https__0");
        Assert.Equal(["http"], Workload("web").Ports.Select(port => port.Name));
    }

    [Fact]
    public void A_connection_string_keeps_its_password_as_a_secret_input_and_the_server_creates_the_database()
    {
        var connection = Workload("api").Environment.Single(variable => variable.Name == "ConnectionStrings__appdb").Value;
        Assert.True(connection.IsSecret);
        Assert.Equal("Host=db;Port=5432;Password=<DB_PASSWORD>;Database=appdb", connection.Render(input => $"<{input.VariableName}>"));

        var db = Workload("db");
        Assert.Contains(db.Environment, variable => variable.Name == "POSTGRES_DB" && Literal(variable) == "appdb");
        Assert.Equal([new WorkloadVolume("db-data", "/var/lib/postgresql", false)], db.Volumes);
        Assert.Equal(["api"], _model.Workloads.Where(w => w.DependsOn.Contains("db")).Select(w => w.Name));
    }

    [Fact]
    public void Compose_escapes_a_literal_dollar_and_references_secrets_from_the_env_file()
    {
        var compose = ComposeWriter.Write(_model, "..");

        Assert.Contains("PRICE: \"costs $$5\"", compose, StringComparison.Ordinal);
        Assert.Contains("POSTGRES_PASSWORD: \"${DB_PASSWORD:?", compose, StringComparison.Ordinal);
        // web is external but reached through api, which references it: only an entry point (external, referenced by
        // nobody) is published, as only its ports are open in Kubernetes.
        Assert.DoesNotContain("WEB_PORT", compose, StringComparison.Ordinal);
    }

    public void Dispose() => _repository.Delete(recursive: true);

    private Workload Workload(string name) => _model.Workloads.Single(workload => workload.Name == name);

    private static string Literal(EnvironmentVariable variable) => variable.Value.Render(_ => throw new InvalidOperationException("not a literal"));
}
