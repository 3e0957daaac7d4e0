using System.Globalization;
using System.Text.RegularExpressions;
using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Verbs;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The connection budget: in every rendering PostgreSQL is given its max_connections explicitly, and the pools of every
/// pod that may run at once (the autoscalers' maximum plus a rollout's surge pod) together with the reserve fit in it;
/// <c>generate</c> and the chart compute it from their settings and refuse, naming the numbers to change, when it does
/// not fit. (bench/saturation.sh shows what it prevents: PostgreSQL refusing connections under load.)
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed partial class ConnectionBudgetTests(RenderedKubernetesFixture rendered) : IDisposable
{
    private static readonly string Chart = Path.Combine(PublishedAppHostModel.Repository.DefaultOutputFolder, ChartWriter.Folder);

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("phase4-budget-");

    [Theory]
    [MemberData(nameof(RenderedObjects.VariantData), MemberType = typeof(RenderedObjects))]
    public void Every_pool_at_the_autoscalers_maximum_plus_the_reserve_fits_the_max_connections_PostgreSQL_is_given(string variant)
    {
        var postgres = rendered.Template(variant, "postgres").Container();
        // Arguments only (the image's command stays): docker-library/postgres's docker-entrypoint.sh (_main, 18/*) runs
        // `postgres "$@"` when the first argument starts with '-', and passes them to the temporary server of its first
        // initialisation too.
        Assert.Equal(["-c", "max_connections=100"], postgres.Args);

        var pooled = new List<string>();
        var atMaximum = 0;
        foreach (var (_, name, template) in rendered.PodTemplates(variant).Where(workload => workload.Kind == "Deployment"))
        {
            var settings = rendered.Settings(variant, template);
            if (!rendered.Secrets(variant, template).ContainsKey("ConnectionStrings__tasksdb"))
            {
                Assert.False(settings.ContainsKey(ConnectionBudget.PoolSizeKey), $"{name} does not connect to the database");
                continue;
            }

            var pool = int.Parse(settings[ConnectionBudget.PoolSizeKey], CultureInfo.InvariantCulture);
            var replicas = rendered.Named<V2HorizontalPodAutoscaler>(variant, name).Spec.MaxReplicas;
            var surge = int.Parse(rendered.Named<V1Deployment>(variant, name).Spec.Strategy.RollingUpdate.MaxSurge.Value, CultureInfo.InvariantCulture);
            Assert.True(pool >= ConnectionBudget.MinimumPool, $"{name}: a pool of {pool}");
            atMaximum += pool * (replicas + surge);
            pooled.Add(name);
        }

        Assert.Equal(["backend", "mcpserver"], pooled.Order(StringComparer.Ordinal));
        Assert.True(atMaximum + ConnectionBudget.DefaultReserved <= 100, $"{atMaximum} pooled connections and {ConnectionBudget.DefaultReserved} reserved exceed 100");
        // The budget is used, not left idle: one more connection per pod would not fit.
        Assert.True(atMaximum + 12 + ConnectionBudget.DefaultReserved > 100);
    }

    [Fact]
    public async Task Generate_sizes_the_pools_from_its_max_connections_and_sets_it_on_the_in_cluster_server()
    {
        Generation.Generate(await PublishedAppHostModel.LoadAsync(), PublishedAppHostModel.Repository, _output.FullName,
            KubernetesOptions.Default with { DatabaseMaxConnections = 300, DatabaseReservedConnections = 20 });

        // (300 - 20) / (6 backend + 6 MCP pods) = 23.
        Assert.Contains("\"Database__MaxPoolSize=23\"", File.ReadAllText(Path.Combine(_output.FullName, "backend", "kustomization.yaml")), StringComparison.Ordinal);
        Assert.Contains("\"Database__MaxPoolSize=23\"", File.ReadAllText(Path.Combine(_output.FullName, "mcpserver", "kustomization.yaml")), StringComparison.Ordinal);
        Assert.Contains("- \"max_connections=300\"", File.ReadAllText(Path.Combine(_output.FullName, "postgres", "workload.yaml")), StringComparison.Ordinal);
        Assert.Equal((300, 20), (KubernetesOptions.Read(_output.FullName).DatabaseMaxConnections, KubernetesOptions.Read(_output.FullName).DatabaseReservedConnections));
    }

    [Fact]
    public async Task An_external_database_takes_its_limit_as_a_setting()
    {
        var options = KubernetesOptions.Default with { Database = KubernetesOptions.ExternalDatabase, DatabaseCidr = "10.20.0.0/16", DatabaseMaxConnections = 50 };
        Generation.Generate(await PublishedAppHostModel.LoadAsync(), PublishedAppHostModel.Repository, _output.FullName, options);

        // (50 - 8) / 12 = 3.
        Assert.Contains("\"Database__MaxPoolSize=3\"", File.ReadAllText(Path.Combine(_output.FullName, "backend", "kustomization.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_refuses_a_budget_that_does_not_fit_says_which_numbers_to_change_and_writes_nothing()
    {
        var model = await PublishedAppHostModel.LoadAsync();

        var failure = Assert.Throws<ArgumentException>(() => Generation.Generate(model, PublishedAppHostModel.Repository, _output.FullName,
            KubernetesOptions.Default with { DatabaseMaxConnections = 20 }));

        Assert.Contains("backend 5+1 + mcpserver 5+1 = 12 pods", failure.Message, StringComparison.Ordinal);
        Assert.Contains("max_connections 20 less 8 reserved leaves 12", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Raise --database-max-connections to at least 32", failure.Message, StringComparison.Ordinal);
        Assert.Contains("--database-reserved-connections", failure.Message, StringComparison.Ordinal);
        Assert.Contains("PgBouncer", failure.Message, StringComparison.Ordinal);
        Assert.Empty(_output.EnumerateFileSystemInfos());
    }

    [Theory]
    [InlineData("--database-max-connections", "many", "--database-max-connections must be a whole number")]
    [InlineData("--database-max-connections", "0", "--database-max-connections must be a whole number from 1")]
    [InlineData("--database-reserved-connections", "100", "--database-reserved-connections must be at least 0 and less than --database-max-connections")]
    public void The_command_line_refuses_a_budget_setting_that_is_not_a_number_in_range(string option, string value, string message)
    {
        var failure = Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value]));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "7", "100")]
    [InlineData(new[] { "--set", "database.maxConnections=300", "--set", "backend.autoscaling.maxReplicas=10" }, "17", "300")]
    [InlineData(new[] { "--set", "backend.autoscaling.enabled=false", "--set", "backend.replicas=2" }, "10", "100")]
    [InlineData(new[] { "--set", "database.reservedConnections=32" }, "5", "100")]
    public async Task The_chart_computes_the_same_budget_from_its_values(string[] values, string pool, string maxConnections)
    {
        var objects = await RenderAsync(values);

        foreach (var service in new[] { "backend", "mcpserver" })
        {
            Assert.Equal(pool, objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name == $"phase4-{service}-env").Data[ConnectionBudget.PoolSizeKey]);
        }

        Assert.Equal(["-c", $"max_connections={maxConnections}"], objects.OfType<V1StatefulSet>().Single().Spec.Template.Container().Args);
    }

    [Fact]
    public async Task The_chart_refuses_values_whose_budget_does_not_fit_and_names_them()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => RenderAsync(["--set", "database.maxConnections=20"]));

        Assert.Contains("12 pods at most", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Raise database.maxConnections to at least 32", failure.Message, StringComparison.Ordinal);
        Assert.Matches(BudgetAdvice(), failure.Message);
    }

    public void Dispose() => _output.Delete(recursive: true);

    private static async Task<IReadOnlyList<object>> RenderAsync(string[] values)
    {
        var yaml = await KubernetesTools.HelmAsync(
            ["template", "phase4", Chart, "--namespace", KubernetesApp.DefaultNamespace, "--set", $"imageTag={RenderedKubernetesFixture.HelmImageTag}", .. values],
            PublishedAppHostModel.Repository.Root);
        return KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
    }

    [GeneratedRegex("database.reservedConnections or the services' maxReplicas, or put a pooler")]
    private static partial Regex BudgetAdvice();
}
