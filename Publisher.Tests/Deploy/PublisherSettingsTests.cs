using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Phase4.AppHost.Deployment;
using Phase4.Publisher;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>The publisher's options as AppHost configuration (<c>Publisher:Key</c>), as <c>aspire deploy</c> passes them.</summary>
public sealed class PublisherSettingsTests
{
    private static CommandLine Read(params (string Key, string Value)[] settings) =>
        PublisherSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(setting => KeyValuePair.Create($"{PublisherSettings.Section}:{setting.Key}", (string?)setting.Value)))
            .Build());

    [Fact]
    public void Each_key_sets_the_publisher_option_of_the_same_name()
    {
        var options = Read(("Overlay", "production"), ("Registry", "registry.example.org/team"), ("Push", "true"), ("Tag", "v7"),
            ("Engine", "podman"), ("KubeContext", "prod"), ("Yes", "true"), ("Host", "todo.example.org"), ("TlsSecret", "todo-tls"),
            ("IngressClass", "nginx"), ("StorageClass", "fast-ssd"), ("Purge", "true"), ("DryRun", "true"), ("IncludeDashboard", "true"),
            ("AiProvider", "openai"), ("AiEndpoint", "http://127.0.0.1:11434/v1"), ("AiModel", "llama3"), ("Database", "external"),
            ("DatabaseCidr", "10.0.0.0/24"), ("DatabasePort", "6432"), ("DatabaseSecret", "db-urls"), ("Namespace", "team-a"),
            ("PullSecret", "regcred"), ("CreatePullSecret", "true"), ("Gateway", "public"),
            ("GatewayNamespace", "gateways"), ("GatewaySection", "https"), ("ClusterIssuer", "letsencrypt"), ("Secrets", "external"),
            ("SecretStore", "vault"), ("SecretStoreKind", "ClusterSecretStore"), ("RemoteKeyPrefix", "todo/"));

        Assert.Equal(
            new CommandLine(null, null, false, null)
            {
                Overlay = "production", Registry = "registry.example.org/team", Push = true, Tag = "v7", Engine = "podman", KubeContext = "prod",
                Yes = true, Host = "todo.example.org", TlsSecret = "todo-tls", IngressClass = "nginx", StorageClass = "fast-ssd", Purge = true,
                DryRun = true, PullSecret = "regcred", CreatePullSecret = true,
                Gateway = "public", GatewayNamespace = "gateways", GatewaySection = "https", ClusterIssuer = "letsencrypt",
                Cluster = Phase4.Publisher.Kubernetes.KubernetesOptions.Default with
                {
                    IncludeDashboard = true, AiProvider = "openai", AiEndpoint = "http://127.0.0.1:11434/v1", AiModel = "llama3",
                    Database = "external", DatabaseCidr = "10.0.0.0/24", DatabasePort = 6432, DatabaseSecret = "db-urls", Namespace = "team-a",
                    Secrets = "external", SecretStore = "vault", SecretStoreKind = "ClusterSecretStore", RemoteKeyPrefix = "todo/",
                },
            },
            options);
        // The one key that cannot go with the others (one cert-manager issuer at a time).
        Assert.Equal("team-ca", Read(("CertIssuer", "team-ca")).CertIssuer);
    }

    [Fact]
    public void Nothing_set_gives_the_publishers_defaults_and_false_switches_are_off()
    {
        Assert.Equal(CommandLine.Parse([]), Read());
        Assert.Equal(CommandLine.Parse([]), Read(("DryRun", "false"), ("Purge", "False")));
    }

    [Theory]
    [InlineData("Overlay", "staging", "--overlay")]
    [InlineData("DryRun", "yes", "Publisher:DryRun")]
    [InlineData("Profile", "todo", "Publisher:Profile")]
    public void A_wrong_value_or_an_unknown_key_fails_naming_it(string key, string value, string named) =>
        Assert.Contains(named, Assert.Throws<ArgumentException>(() => Read((key, value))).Message, StringComparison.Ordinal);

    /// <summary>README's one table of the options, with the configuration key, the variable and the publisher's flag.</summary>
    [Fact]
    public void README_documents_every_key_as_configuration_environment_variable_and_publisher_option()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot.Folder, "README.md"));
        foreach (var (key, option, _) in PublisherSettings.Keys)
        {
            var row = readme.SingleOrDefault(line => line.StartsWith($"| `{PublisherSettings.Section}:{key}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"README has no row for {PublisherSettings.Section}:{key}");
            Assert.Contains($"`{PublisherSettings.Section}__{key}`", row, StringComparison.Ordinal);
            Assert.Contains($"`{option}", row, StringComparison.Ordinal);
        }
    }

    /// <summary>The CLI is the one of the Aspire version the AppHost builds with (.config/dotnet-tools.json, Directory.Packages.props).</summary>
    [Fact]
    public void The_pinned_Aspire_CLI_is_the_version_of_Aspire_the_AppHost_uses()
    {
        using var tools = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, ".config", "dotnet-tools.json")));
        var cli = tools.RootElement.GetProperty("tools").GetProperty("aspire.cli");
        var packages = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "Directory.Packages.props"));

        Assert.Contains($"<PackageVersion Include=\"Aspire.Hosting.AppHost\" Version=\"{cli.GetProperty("version").GetString()}\" />", packages, StringComparison.Ordinal);
        Assert.Equal(["aspire"], cli.GetProperty("commands").EnumerateArray().Select(command => command.GetString()));
    }
}
