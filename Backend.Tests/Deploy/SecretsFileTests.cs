using System.Security.Cryptography;
using Phase4.Publisher;

namespace Phase4.Tests.Deploy;

/// <summary>The secrets command: random values created once beside the Compose file, never replaced.</summary>
[Collection(PublishedModelGroup.Name)]
public sealed class SecretsFileTests(GeneratedComposeFixture compose) : IDisposable
{
    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("phase4-secrets-");

    private string EnvPath => Path.Combine(_output.FullName, ".env");

    [Fact]
    public void The_secrets_command_creates_a_random_password_and_a_P256_signing_key()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName);

        var values = ReadEnv();
        Assert.Matches("^[A-Za-z0-9]{32,}$", values["POSTGRES_PASSWORD"]);
        using var key = ECDsa.Create();
        key.ImportFromPem(values["JWT_SIGNING_KEY"]);
        Assert.Equal(256, key.KeySize);
    }

    [Fact]
    public void Running_the_secrets_command_again_changes_nothing()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName);
        var first = File.ReadAllBytes(EnvPath);

        var created = Generation.CreateSecrets(compose.Model, _output.FullName);

        Assert.Empty(created);
        Assert.Equal(first, File.ReadAllBytes(EnvPath));
    }

    [Fact]
    public void A_value_missing_from_an_existing_file_is_added_without_touching_the_others()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName);
        var kept = File.ReadAllLines(EnvPath).Where(line => !line.StartsWith("JWT_SIGNING_KEY=", StringComparison.Ordinal)).ToList();
        File.WriteAllLines(EnvPath, kept);

        var created = Generation.CreateSecrets(compose.Model, _output.FullName);

        Assert.Equal(["JWT_SIGNING_KEY"], created);
        Assert.Equal(kept, File.ReadAllLines(EnvPath).Take(kept.Count));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_secrets_file_is_readable_by_its_owner_only()
    {
        Generation.CreateSecrets(compose.Model, _output.FullName);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(EnvPath));
    }

    public void Dispose() => _output.Delete(recursive: true);

    private Dictionary<string, string> ReadEnv() => File.ReadAllLines(EnvPath)
        .Where(line => !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
        .ToDictionary(
            line => line[..line.IndexOf('=', StringComparison.Ordinal)],
            line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('"').Replace("\\n", "\n", StringComparison.Ordinal));
}
