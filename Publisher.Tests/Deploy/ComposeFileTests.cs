using Phase4.Publisher.Compose;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>aspirate-output/docker-compose.yaml: current with the AppHost model, and runnable as issue 5 requires.</summary>
[Collection(PublishedModelGroup.Name)]
public sealed class ComposeFileTests(GeneratedComposeFixture compose)
{
    private static readonly string[] AppHostResources = ["postgres", "migrator", "backend", "mcpserver", "frontend"];

    private static readonly string[] StartConditions = ["service_started", "service_completed_successfully"];

    [Fact]
    public void The_committed_compose_file_is_what_the_AppHost_model_generates_now()
    {
        Assert.True(File.Exists(compose.CommittedPath), "aspirate-output/docker-compose.yaml is missing: run `dotnet run --project Publisher -- generate`.");
        var committed = File.ReadAllText(compose.CommittedPath);
        Assert.True(committed == compose.GeneratedText,
            "aspirate-output/docker-compose.yaml is stale: run `dotnet run --project Publisher -- generate` and commit the result.");
    }

    [Fact]
    public void Compose_runs_the_AppHost_resources_under_their_names()
    {
        Assert.Equal(AppHostResources.Order(), Services.Children.Keys.Select(Text).Order());
    }

    [Fact]
    public void Postgres_runs_the_image_Aspire_uses_with_its_data_under_var_lib_postgresql_and_creates_tasksdb()
    {
        var postgres = Service("postgres");
        Assert.Equal("docker.io/library/postgres:18.3", Text(postgres["image"]));
        Assert.Equal("tasksdb", Text(Environment(postgres)["POSTGRES_DB"]));
        Assert.Equal(["postgres-data:/var/lib/postgresql"], ((YamlSequenceNode)postgres["volumes"]).Select(Text));
        Assert.Contains("postgres-data", ((YamlMappingNode)compose.Committed["volumes"]).Children.Keys.Select(Text));
    }

    [Fact]
    public void Postgres_has_a_pg_isready_health_check_and_no_service_waits_for_a_health_check()
    {
        var test = ((YamlSequenceNode)((YamlMappingNode)Service("postgres")["healthcheck"])["test"]).Select(Text).ToList();
        Assert.Equal(["CMD", "pg_isready", "-h", "127.0.0.1"], test.Take(4));

        foreach (var (name, service) in Services.Children)
        {
            if (((YamlMappingNode)service).Children.TryGetValue("depends_on", out var dependsOn) && dependsOn is YamlMappingNode conditions)
            {
                // Never `service_healthy`, which podman without systemd never satisfies.
                Assert.All(conditions.Children.Values, condition =>
                    Assert.Contains(Text(((YamlMappingNode)condition)["condition"]), StartConditions));
            }
        }
    }

    [Fact]
    public void The_services_using_the_database_start_once_the_migrator_has_exited_successfully_and_it_runs_once()
    {
        foreach (var name in new[] { "backend", "mcpserver" })
        {
            var dependsOn = (YamlMappingNode)Service(name)["depends_on"];
            Assert.Equal("service_completed_successfully", Text(((YamlMappingNode)dependsOn["migrator"])["condition"]));
        }

        Assert.False(Service("frontend").Children.ContainsKey(new YamlScalarNode("depends_on")) && Service("frontend")["depends_on"] is YamlMappingNode);
        var migrator = Service("migrator");
        Assert.Equal(["migrate"], ((YamlSequenceNode)migrator["command"]).Select(Text));
        Assert.Equal("no", Text(migrator["restart"]));
        Assert.Equal(Text(Service("backend")["image"]), Text(migrator["image"]));
        Assert.StartsWith("Host=postgres;Port=5432;Username=postgres;", Text(Environment(migrator)["ConnectionStrings__tasksdb"]), StringComparison.Ordinal);
        Assert.Contains("Username=phase4_backend;", Text(Environment(Service("backend"))["ConnectionStrings__tasksdb"]), StringComparison.Ordinal);
        Assert.Contains("Username=phase4_mcp;", Text(Environment(Service("mcpserver"))["ConnectionStrings__tasksdb"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Services_find_each_other_by_resource_name_on_port_8080_as_under_the_AppHost()
    {
        var backend = Environment(Service("backend"));
        Assert.StartsWith("Host=postgres;Port=5432;", Text(backend["ConnectionStrings__tasksdb"]), StringComparison.Ordinal);
        Assert.Contains("Database=tasksdb", Text(backend["ConnectionStrings__tasksdb"]), StringComparison.Ordinal);

        var discovery = Services.Children.Values.Cast<YamlMappingNode>()
            .SelectMany(service => Environment(service).Children)
            .Where(variable => Text(variable.Key).StartsWith("services__", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(discovery);
        foreach (var (name, value) in discovery)
        {
            var target = Text(name).Split("__")[1];
            Assert.Equal($"http://{target}:8080", Text(value));
        }
    }

    [Fact]
    public void Secrets_are_references_to_the_env_file_never_values()
    {
        var text = File.ReadAllText(compose.CommittedPath);
        Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
        foreach (var (name, value) in Services.Children.Values.Cast<YamlMappingNode>().SelectMany(service => Environment(service).Children))
        {
            var variable = Text(name);
            if (variable.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) || variable.Contains("SigningKey", StringComparison.Ordinal)
                || variable.Contains("ApiKey", StringComparison.Ordinal) || variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            {
                Assert.Matches(@"\$\{[A-Z0-9_]+:\?", Text(value));
            }
        }
    }

    [Fact]
    public void Each_service_is_built_from_its_Dockerfile_and_only_the_frontend_is_published_on_localhost()
    {
        var folder = Path.GetDirectoryName(compose.CommittedPath)!;
        foreach (var name in new[] { "backend", "mcpserver", "frontend" })
        {
            var build = (YamlMappingNode)Service(name)["build"];
            var dockerfile = Path.Combine(folder, Text(build["context"]), Text(build["dockerfile"]));
            Assert.True(File.Exists(dockerfile), $"{name}: {dockerfile} is missing.");
        }

        var frontendPorts = ((YamlSequenceNode)Service("frontend")["ports"]).Select(Text);
        Assert.Contains($"127.0.0.1:${{FRONTEND_PORT:-{ComposeWriter.FirstHostPort}}}:8080", frontendPorts);
        // The backends believe the frontend's X-Forwarded-For alone, by its service name (no NetworkPolicies here).
        foreach (var name in new[] { "backend", "mcpserver" })
        {
            Assert.Equal("frontend", Text(Environment(Service(name))["ForwardedHeaders__KnownProxies"]));
            Assert.False(Environment(Service(name)).Children.ContainsKey("ForwardedHeaders__KnownNetworks"), name);
        }

        // The backends are reached through it only: nothing on the host can hand them a client address.
        Assert.Equal(["frontend"], Services.Children.Where(service => ((YamlMappingNode)service.Value).Children.ContainsKey("ports"))
            .Select(service => Text(service.Key)));
    }

    private YamlMappingNode Services => (YamlMappingNode)compose.Committed["services"];

    private YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static YamlMappingNode Environment(YamlMappingNode service) =>
        service.Children.TryGetValue("environment", out var environment) ? (YamlMappingNode)environment : new YamlMappingNode();

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
