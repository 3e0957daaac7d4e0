using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using Phase4.SigningKeys;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The Kubernetes secret files <c>apply</c> keeps: after a first apply, a new option (the dashboard, the openai
/// provider) or a lost file only adds what is missing, recovering the values already handed out, and never changes a
/// line that is there, the database password above all.
/// </summary>
public sealed class SecretFilePlanTests : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("phase4-secret-files-");

    private static readonly KubernetesOptions WithDashboard = KubernetesOptions.Default with { IncludeDashboard = true };

    private static readonly KubernetesOptions WithOpenAI = KubernetesOptions.Default with { AiProvider = KubernetesOptions.OpenAIProvider, AiModel = "gpt-4o-mini" };

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_first_apply_creates_every_file_owner_only_and_a_second_adds_nothing()
    {
        var app = await AppAsync(KubernetesOptions.Default);

        var first = Apply(app);
        Assert.All(first.Additions, addition => Assert.True(addition.IsNew));
        Assert.Equal(SecretFiles.Paths(app).Order(), first.Additions.Select(addition => addition.RelativePath).Order());
        Assert.All(SecretFiles.Paths(app), path => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_output.FullName, path))));
        Assert.Empty(Directory.EnumerateFiles(_output.FullName, "*.tmp", SearchOption.AllDirectories));

        var before = Snapshot();
        Assert.True(Apply(app).IsEmpty);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Adding_the_dashboard_later_adds_its_file_and_the_services_exporter_key_and_changes_no_existing_line()
    {
        Apply(await AppAsync(KubernetesOptions.Default));
        var before = Snapshot();

        var plan = Apply(await AppAsync(WithDashboard));

        Assert.Contains(plan.Additions, addition => addition.IsNew && addition.RelativePath == $"{AspireDashboard.Name}/.{AspireDashboard.Name}.secrets");
        foreach (var (path, text) in before)
        {
            Assert.StartsWith(text, File.ReadAllText(Path.Combine(_output.FullName, path)), StringComparison.Ordinal);
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

        var plan = SecretFiles.Plan(await AppAsync(WithOpenAI), _output.FullName, name => name == "AI_API_KEY" ? "sk-test-key" : null);
        SecretFiles.Write(plan, _output.FullName);

        var addition = Assert.Single(plan.Additions);
        Assert.Equal("backend/.backend.secrets", addition.RelativePath);
        Assert.Equal(["AI__ApiKey"], addition.Lines.Select(line => line.Key));
        Assert.Equal("sk-test-key", Read("backend")["AI__ApiKey"]);
        Assert.Equal(before["mcpserver/.mcpserver.secrets"], File.ReadAllText(Path.Combine(_output.FullName, "mcpserver/.mcpserver.secrets")));
    }

    [Fact]
    public async Task A_lost_file_is_made_again_from_the_values_the_others_hold()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        var password = Read("postgres")["POSTGRES_PASSWORD"];
        var signingKey = Read("backend")["Jwt__SigningKey"];
        File.Delete(Path.Combine(_output.FullName, "mcpserver/.mcpserver.secrets"));
        File.Delete(Path.Combine(_output.FullName, "postgres/.postgres.secrets"));

        var plan = Apply(app);

        // Only the public key is made, and from the signing key the backend still has.
        Assert.Equal(["jwt-public-key"], plan.Created.Select(input => input.ParameterName));
        Assert.Equal(password, Read("postgres")["POSTGRES_PASSWORD"]);
        // The MCP server's role password, which the migrator's file still holds.
        Assert.Contains($"Password={Read("migrator")["Database__Roles__Mcp__Password"]};", Read("mcpserver")["ConnectionStrings__tasksdb"], StringComparison.Ordinal);
        Assert.Equal(JwtKeys.ToPublic(JwtKeys.LoadPrivateKey(signingKey)).KeyId, JwtKeys.LoadPublicKey(Read("mcpserver")["Jwt__PublicKey"]).KeyId);
    }

    [Fact]
    public async Task A_lost_private_key_whose_public_key_is_still_handed_out_is_refused()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        File.Delete(Path.Combine(_output.FullName, "backend/.backend.secrets"));

        var refusal = Assert.Throws<InvalidOperationException>(() => SecretFiles.Plan(app, _output.FullName, _ => null));
        Assert.Contains("jwt-signing-key", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Files_that_disagree_on_a_value_are_refused_naming_both()
    {
        var app = await AppAsync(KubernetesOptions.Default);
        Apply(app);
        var postgres = Path.Combine(_output.FullName, "postgres/.postgres.secrets");
        File.WriteAllText(postgres, "POSTGRES_PASSWORD=somethingelse\n");

        var refusal = Assert.Throws<InvalidOperationException>(() => SecretFiles.Plan(app, _output.FullName, _ => null));
        Assert.Contains("postgres-password", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("postgres/.postgres.secrets", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_every_file_is_lost_the_password_is_to_be_created_which_apply_guards_against_existing_data()
    {
        var plan = SecretFiles.Plan(await AppAsync(KubernetesOptions.Default), _output.FullName, _ => null);

        Assert.Contains(plan.Created, input => input.ParameterName == "postgres-password");
    }

    public void Dispose() => _output.Delete(recursive: true);

    private static async Task<KubernetesApp> AppAsync(KubernetesOptions options) =>
        KubernetesApp.From(await PublishedAppHostModel.LoadAsync(), PublishedAppHostModel.Repository, options);

    private SecretFilesPlan Apply(KubernetesApp app)
    {
        var plan = SecretFiles.Plan(app, _output.FullName, _ => null);
        SecretFiles.Write(plan, _output.FullName);
        return plan;
    }

    private Dictionary<string, string> Read(string workload) =>
        SecretFiles.Read(Path.Combine(_output.FullName, workload, $".{workload}.secrets"));

    private Dictionary<string, string> Snapshot() => Directory.EnumerateFiles(_output.FullName, "*.secrets", SearchOption.AllDirectories)
        .ToDictionary(path => Path.GetRelativePath(_output.FullName, path).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
}
