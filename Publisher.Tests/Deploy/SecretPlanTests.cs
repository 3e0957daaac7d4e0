using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using Phase4.SigningKeys;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The workloads' Secrets <c>apply</c> keeps in the cluster (here a dictionary standing for what it reads back): after
/// a first apply, a new option (the dashboard, the openai provider) or a lost Secret only adds what is missing,
/// recovering the values already handed out, and never changes a key that is there, the database password above all.
/// </summary>
public sealed class SecretPlanTests
{
    private readonly Dictionary<string, StoredSecret> _cluster = new(StringComparer.Ordinal);

    private static readonly KubernetesOptions WithDashboard = KubernetesOptions.Default with { IncludeDashboard = true };

    private static readonly KubernetesOptions WithOpenAI = KubernetesOptions.Default with { AiProvider = KubernetesOptions.OpenAIProvider, AiModel = "gpt-4o-mini" };

    [Fact]
    public async Task A_first_apply_creates_every_Secret_and_a_second_adds_nothing()
    {
        var app = await AppAsync(KubernetesOptions.Default);

        var first = Apply(app);
        Assert.All(first.Additions, addition => Assert.True(addition.IsNew));
        Assert.Equal(app.Workloads.Where(w => w.SecretSettings.Count > 0).Select(w => w.Name).Order(), first.Additions.Select(addition => addition.Workload.Name).Order());

        var before = Snapshot();
        Assert.True(Apply(app).IsEmpty);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Adding_the_dashboard_later_adds_its_Secret_and_the_services_exporter_key_and_changes_no_existing_key()
    {
        Apply(await AppAsync(KubernetesOptions.Default));
        var before = Snapshot();

        var plan = Apply(await AppAsync(WithDashboard));

        Assert.Contains(plan.Additions, addition => addition.IsNew && addition.Workload.Name == AspireDashboard.Name);
        foreach (var (workload, values) in before)
        {
            Assert.All(values, entry => Assert.Equal(entry.Value, Read(workload)[entry.Key]));
        }

        var key = Read(AspireDashboard.Name)["Dashboard__Otlp__PrimaryApiKey"];
        Assert.Equal($"{AspireDashboard.ApiKeyHeader}={key}", Read("backend")["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.Equal($"{AspireDashboard.ApiKeyHeader}={key}", Read("mcpserver")["OTEL_EXPORTER_OTLP_HEADERS"]);
        Assert.DoesNotContain(plan.Created, input => input.ParameterName is "postgres-password" or "jwt-signing-key");
    }

    [Fact]
    public async Task Switching_to_the_openai_provider_adds_the_key_from_the_environment_to_the_backend_only()
    {
        Apply(await AppAsync(KubernetesOptions.Default));
        var before = Snapshot();

        var plan = Apply(await AppAsync(WithOpenAI), name => name == "AI_API_KEY" ? "sk-test-key" : null);

        var addition = Assert.Single(plan.Additions);
        Assert.Equal("backend", addition.Workload.Name);
        Assert.False(addition.IsNew);
        Assert.Equal(["AI__ApiKey"], addition.Lines.Select(line => line.Key));
        Assert.Equal("sk-test-key", Read("backend")["AI__ApiKey"]);
        Assert.Equal(before["mcpserver"], Snapshot()["mcpserver"]);
    }

    [Fact]
    public async Task A_lost_Secret_is_made_again_from_the_values_the_others_hold()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        var password = Read("postgres")["POSTGRES_PASSWORD"];
        var signingKey = Read("backend")["Jwt__SigningKey"];
        _cluster.Remove("mcpserver");
        _cluster.Remove("postgres");

        var plan = Apply(app);

        // Only the public key is made, and from the signing key the backend still has.
        Assert.Equal(["jwt-public-key"], plan.Created.Select(input => input.ParameterName));
        Assert.Equal(password, Read("postgres")["POSTGRES_PASSWORD"]);
        // The MCP server's role password, which the migrator's Secret still holds.
        Assert.Contains($"Password={Read("migrator")["Database__Roles__Mcp__Password"]};", Read("mcpserver")["ConnectionStrings__tasksdb"], StringComparison.Ordinal);
        Assert.Equal(JwtKeys.ToPublic(JwtKeys.LoadPrivateKey(signingKey)).KeyId, JwtKeys.LoadPublicKey(Read("mcpserver")["Jwt__PublicKey"]).KeyId);
    }

    [Fact]
    public async Task A_lost_private_key_whose_public_key_is_still_handed_out_is_refused_naming_the_way_out()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        _cluster.Remove("backend");

        var refusal = Assert.Throws<InvalidOperationException>(() => SecretPlan.For(app, _cluster, _ => null));
        Assert.Contains("jwt-signing-key", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("secrets import", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secrets_that_disagree_on_a_value_are_refused_naming_both()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        _cluster["postgres"] = new StoredSecret("Secret postgres-secrets-x1", new Dictionary<string, string> { ["POSTGRES_PASSWORD"] = "somethingelse" });

        var refusal = Assert.Throws<InvalidOperationException>(() => SecretPlan.For(app, _cluster, _ => null));
        Assert.Contains("postgres-password", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Secret postgres-secrets-x1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_Secret_is_lost_the_password_is_to_be_created_which_apply_guards_against_existing_data()
    {
        var plan = SecretPlan.For(await AppAsync(KubernetesOptions.Default), _cluster, _ => null);

        Assert.Contains(plan.Created, input => input.ParameterName == "postgres-password");
    }

    private static async Task<KubernetesApp> AppAsync(KubernetesOptions options) =>
        KubernetesApp.From(await PublishedAppHostModel.LoadAsync(), PublishedAppHostModel.Repository, options);

    /// <summary>Plans, and keeps the planned Secrets as the cluster would after the apply.</summary>
    private SecretPlan Apply(KubernetesApp app, Func<string, string?>? environment = null)
    {
        var plan = SecretPlan.For(app, _cluster, environment ?? (_ => null));
        foreach (var (workload, values) in plan.Values)
        {
            _cluster[workload] = new StoredSecret($"Secret {workload}-secrets", values.ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal));
        }

        return plan;
    }

    private IReadOnlyDictionary<string, string> Read(string workload) => _cluster[workload].Values;

    private Dictionary<string, Dictionary<string, string>> Snapshot() => _cluster.ToDictionary(
        entry => entry.Key, entry => entry.Value.Values.ToDictionary(value => value.Key, value => value.Value, StringComparer.Ordinal), StringComparer.Ordinal);
}
