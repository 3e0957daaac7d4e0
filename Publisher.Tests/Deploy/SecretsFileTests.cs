using System.Security.Cryptography;
using Phase4.Publisher;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>The secrets command: random values created once beside the Compose file, never replaced.</summary>
[Collection(PublishedModelGroup.Name)]
public sealed class SecretsFileTests(GeneratedComposeFixture compose) : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("phase4-secrets-");

    private static readonly HashSet<string> NoVolumes = [];

    private string EnvPath => Path.Combine(_output.FullName, ".env");

    /// <summary>The Postgres volume as Compose v2 names it for a project in <see cref="_output"/>.</summary>
    private string PostgresVolume => $"{_output.Name.ToLowerInvariant()}_postgres-data";

    [Fact]
    public void The_secrets_command_creates_a_random_password_and_a_P256_signing_key()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);

        var values = ReadEnv();
        Assert.Matches("^[A-Za-z0-9]{32,}$", values["POSTGRES_PASSWORD"]);
        using var key = ECDsa.Create();
        key.ImportFromPem(values["JWT_SIGNING_KEY"]);
        Assert.Equal(256, key.KeySize);
    }

    [Fact]
    public void Running_the_secrets_command_again_changes_nothing()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);
        var first = File.ReadAllBytes(EnvPath);

        var created = Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);

        Assert.Empty(created);
        Assert.Equal(first, File.ReadAllBytes(EnvPath));
    }

    [Fact]
    public void A_value_missing_from_an_existing_file_is_added_without_touching_the_others()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);
        var kept = File.ReadAllLines(EnvPath).Where(line => !line.StartsWith("JWT_SIGNING_KEY=", StringComparison.Ordinal)).ToList();
        File.WriteAllLines(EnvPath, kept);

        var created = Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);

        Assert.Equal(["JWT_SIGNING_KEY"], created);
        Assert.Equal(kept, File.ReadAllLines(EnvPath).Take(kept.Count));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_secrets_file_is_readable_by_its_owner_only()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvPath));
    }

    [Fact]
    public void With_the_env_file_lost_but_the_database_volume_still_there_it_refuses_and_writes_nothing()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() =>
            Generation.CreateSecrets(compose.Model, _output.FullName, new HashSet<string> { "unrelated_volume", PostgresVolume }));

        Assert.Contains(PostgresVolume, refusal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(EnvPath));
    }

    [Fact]
    public void With_the_env_file_intact_an_existing_database_volume_is_no_obstacle()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);
        var first = File.ReadAllBytes(EnvPath);

        var created = Generation.CreateSecrets(compose.Model, _output.FullName, new HashSet<string> { PostgresVolume });

        Assert.Empty(created);
        Assert.Equal(first, File.ReadAllBytes(EnvPath));
    }

    [Fact]
    public void A_lost_signing_key_alone_is_recreated_even_with_the_database_volume_there()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName, NoVolumes);
        File.WriteAllLines(EnvPath, File.ReadAllLines(EnvPath).Where(line => !line.StartsWith("JWT_SIGNING_KEY=", StringComparison.Ordinal)));

        var created = Generation.CreateSecrets(compose.Model, _output.FullName, new HashSet<string> { PostgresVolume });

        Assert.Equal(["JWT_SIGNING_KEY"], created);
    }

    [Theory]
    [InlineData("aspirate-output", null, new[] { "aspirate-output", "aspirateoutput" })]
    [InlineData("Deploy", null, new[] { "deploy" })]
    [InlineData("aspirate-output", "phase4", new[] { "phase4" })]
    public void Compose_project_names_follow_v1_and_v2_rules(string folder, string? variable, string[] expected) =>
        Assert.Equal(expected, ComposeVolumes.ProjectNames(folder, variable));

    public void Dispose() => _output.Delete(recursive: true);

    private Dictionary<string, string> ReadEnv() => File.ReadAllLines(EnvPath)
        .Where(line => !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
        .ToDictionary(
            line => line[..line.IndexOf('=', StringComparison.Ordinal)],
            line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('"').Replace("\\n", "\n", StringComparison.Ordinal));
}
