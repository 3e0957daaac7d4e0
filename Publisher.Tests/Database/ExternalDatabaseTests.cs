using System.Text.RegularExpressions;
using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;
using Phase4.Tests.Deploy;
using Phase4.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Database;

/// <summary>
/// <c>generate --database external</c> and the chart's <c>database.external.*</c>: no Postgres of the app's, each
/// service's connection string from the operator's Secret, egress to the database's addresses only; and the
/// CloudNativePG cluster docs/database.md shows renders and asks for what the app needs.
/// </summary>
public sealed partial class ExternalDatabaseTests : IDisposable
{
    private const string Cidr = "10.20.0.0/16";

    private static readonly string[] DatabaseUsers = ["backend", "mcpserver", "migrator"];

    private static readonly string[] Privileges = ["superuser", "createdb", "createrole"];

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phase4-external-");

    [Fact]
    public async Task Generated_for_an_external_database_the_output_has_no_Postgres_and_takes_each_connection_from_the_operators_Secret()
    {
        var options = KubernetesOptions.Default with { Database = KubernetesOptions.ExternalDatabase, DatabaseCidr = Cidr, DatabasePort = 6432, DatabaseSecret = "shop-db" };
        var model = await PublishedAppHostModel.LoadAsync();
        Generation.Generate(model, PublishedAppHostModel.Repository, _scratch.FullName, options);
        var app = KubernetesApp.From(model, PublishedAppHostModel.Repository, options);
        SecretFiles.Write(app, _scratch.FullName, InputValues.CreateMissing(app.Inputs, new Dictionary<string, string>(), _ => null));

        var objects = KubernetesYaml.LoadAllFromString(await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], _scratch.FullName), null, strict: true);

        Assert.Empty(objects.OfType<V1StatefulSet>());
        Assert.DoesNotContain(objects.OfType<IKubernetesObject<V1ObjectMeta>>(), item => item.Metadata.Name.StartsWith("postgres", StringComparison.Ordinal));
        AssertExternal(objects, "shop-db", "6432", name => name);
        // The migrator gets no role passwords: the roles of a server that is the operator's are theirs.
        var migratorSecret = objects.OfType<V1Secret>().SingleOrDefault(secret => secret.Metadata.Name.StartsWith("migrator-secrets", StringComparison.Ordinal));
        Assert.True(migratorSecret is null || !migratorSecret.Data.Keys.Any(key => key.StartsWith("Database__Roles__", StringComparison.Ordinal) || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_chart_with_database_external_enabled_renders_the_same_and_requires_the_secret_and_the_addresses()
    {
        CopyChart();
        var objects = KubernetesYaml.LoadAllFromString(await KubernetesTools.HelmAsync(
            ["template", "shop", "./Chart", "--set", "imageTag=v1", "--set", "database.external.enabled=true",
             "--set", $"database.external.cidr={Cidr}", "--set", "database.external.existingSecret=shop-db"], _scratch.FullName), null, strict: true);

        Assert.Empty(objects.OfType<V1StatefulSet>());
        Assert.DoesNotContain(objects.OfType<IKubernetesObject<V1ObjectMeta>>(), item => item.Metadata.Name.StartsWith("shop-phase4-postgres", StringComparison.Ordinal));
        AssertExternal(objects, "shop-db", "5432", name => $"shop-phase4-{name}");
        Assert.DoesNotContain(objects.OfType<V1Secret>().SelectMany(secret => secret.Data?.Keys ?? []), key => key.StartsWith("ConnectionStrings__", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => KubernetesTools.HelmAsync(
            ["template", "shop", "./Chart", "--set", "imageTag=v1", "--set", "database.external.enabled=true", "--set", "database.external.existingSecret=shop-db"], _scratch.FullName));
        Assert.Contains("database.external.cidr is required", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_database_needs_its_addresses()
    {
        var refusal = Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--database", "external"]));
        Assert.Contains("--database-cidr", refusal.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--database", "external", "--database-cidr", "db.example.com"]));
    }

    /// <summary>The manifest in docs/database.md, rendered by kubectl's Kustomize (no schema needed for a custom resource) and read back.</summary>
    [Fact]
    public async Task The_CloudNativePG_cluster_in_the_docs_renders_with_three_instances_the_owner_and_both_runtime_roles()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "docs", "database.md"));
        var manifest = YamlBlock().Matches(docs).Select(match => match.Groups["yaml"].Value).Single(block => block.Contains("kind: Cluster", StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(_scratch.FullName, "cluster.yaml"), manifest);
        File.WriteAllText(Path.Combine(_scratch.FullName, "kustomization.yaml"), "resources:\n- cluster.yaml\n");

        var yaml = new YamlStream();
        yaml.Load(new StringReader(await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], _scratch.FullName)));
        var cluster = (YamlMappingNode)yaml.Documents.Single().RootNode;
        Assert.Equal("postgresql.cnpg.io/v1", cluster["apiVersion"].ToString());
        var spec = (YamlMappingNode)cluster["spec"];
        Assert.Equal("3", spec["instances"].ToString());
        var initdb = (YamlMappingNode)((YamlMappingNode)spec["bootstrap"])["initdb"];
        Assert.Equal(("tasksdb", "phase4_owner"), (initdb["database"].ToString(), initdb["owner"].ToString()));
        var roles = ((YamlSequenceNode)((YamlMappingNode)spec["managed"])["roles"]).Cast<YamlMappingNode>().ToList();
        Assert.Equal(["phase4_backend", "phase4_mcp"], roles.Select(role => role["name"].ToString()));
        Assert.All(roles, role =>
        {
            Assert.Equal("true", role["login"].ToString());
            Assert.All(Privileges, attribute => Assert.Equal("false", role[attribute].ToString()));
        });
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    private static void AssertExternal(IReadOnlyList<object> objects, string secret, string port, Func<string, string> name)
    {
        var pods = objects.OfType<V1Deployment>().Select(d => d.Spec.Template).Concat(objects.OfType<V1Job>().Select(j => j.Spec.Template))
            .ToDictionary(template => template.Metadata.Labels["app.kubernetes.io/name"]);
        foreach (var user in DatabaseUsers)
        {
            var connection = Assert.Single(pods[user].Spec.Containers.Single().Env, variable => variable.Name == "ConnectionStrings__tasksdb");
            Assert.Equal((secret, user), (connection.ValueFrom.SecretKeyRef.Name, connection.ValueFrom.SecretKeyRef.Key));

            var egress = objects.OfType<V1NetworkPolicy>().Single(policy => policy.Metadata.Name == name(user)).Spec.Egress;
            var toDatabase = Assert.Single(egress, rule => rule.To?.Any(peer => peer.IpBlock is not null) == true);
            Assert.Equal(Cidr, Assert.Single(toDatabase.To).IpBlock.Cidr);
            Assert.Equal([port], toDatabase.Ports.Select(p => p.Port.Value));
        }

        Assert.DoesNotContain(pods["frontend"].Spec.Containers.Single().Env ?? [], variable => variable.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
    }

    private void CopyChart()
    {
        var chart = Path.Combine(PublishedAppHostModel.Repository.DefaultOutputFolder, ChartWriter.Folder);
        foreach (var file in Directory.EnumerateFiles(chart, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_scratch.FullName, ChartWriter.Folder, Path.GetRelativePath(chart, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex("```yaml\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
