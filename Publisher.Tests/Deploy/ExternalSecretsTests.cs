using System.Text.RegularExpressions;
using k8s.Models;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>generate --secrets external</c>: the base, the overlays and the chart (rendered by kubectl kustomize and helm
/// template, and linted strictly) hold no generated secret value; every Secret a pod reads is written by the External
/// Secrets Operator from an <c>ExternalSecret</c> of the external-secrets.io/v1 shape (<see cref="CustomResources"/>),
/// whose templates compose the same values the generated Secrets hold, from one remote key per deployment input.
/// </summary>
[Collection(ExternalSecretsRenderedGroup.Name)]
public sealed partial class ExternalSecretsTests(ExternalSecretsRenderedFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    public static TheoryData<string> Variants => RenderedObjects.VariantData();

    [Theory]
    [MemberData(nameof(Variants))]
    public void No_secret_value_is_generated_and_each_Secret_a_pod_reads_comes_from_a_valid_ExternalSecret(string variant)
    {
        Assert.Empty(rendered.All<V1Secret>(variant));
        var external = rendered.All<ExternalSecretResource>(variant).ToList();
        foreach (var (_, name, template) in rendered.PodTemplates(variant))
        {
            var workload = rendered.App.Workload(name);
            var reference = template.Container().EnvFrom.SingleOrDefault(source => source.SecretRef is not null)?.SecretRef;
            if (workload.SecretSettings.Count == 0)
            {
                Assert.Null(reference);
                continue;
            }

            var secret = Assert.Single(external, item => item.Spec.Target.Name == Assert.IsType<V1SecretEnvSource>(reference).Name);
            CustomResources.AssertValid(secret);
            Assert.Equal(("ClusterSecretStore", ExternalSecretsRenderedFixture.Store), (secret.Spec.SecretStoreRef.Kind, secret.Spec.SecretStoreRef.Name));
            Assert.Equal(("Owner", ExternalSecrets.DefaultRefreshInterval), (secret.Spec.Target.CreationPolicy, secret.Spec.RefreshInterval));
            Assert.Equal(workload.SecretSettings.Select(setting => setting.Name).Order(StringComparer.Ordinal), secret.Spec.Target.Template.Data.Keys.Order(StringComparer.Ordinal));
            // The Secret carries the workload's labels, as the generated one did (destroy and the selectors find it).
            Assert.Equal(name, secret.Spec.Target.Template.Metadata.Labels["app.kubernetes.io/name"]);
        }

        Assert.Equal(rendered.App.Workloads.Count(w => w.SecretSettings.Count > 0), external.Count);
        Assert.Contains("0 chart(s) failed", rendered.HelmLintOutput, StringComparison.Ordinal);
    }

    /// <summary>
    /// A store holding a value per remote key, and the templates evaluated as the operator's engine would: each Secret
    /// value (a connection string embedding a password, a bare key) comes out as the model composes it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void The_templates_compose_every_value_from_one_remote_key_per_input(string variant)
    {
        var store = rendered.App.Inputs.ToDictionary(input => KubernetesOptions.DefaultRemoteKeyPrefix + input.ParameterName, input => $"value-of-{input.ParameterName}");
        var secrets = rendered.All<ExternalSecretResource>(variant).ToList();
        Assert.NotEmpty(secrets);
        foreach (var secret in secrets)
        {
            var workload = rendered.App.Workload(secret.Metadata.Labels["app.kubernetes.io/name"]);
            var read = secret.Spec.Data.ToDictionary(item => item.SecretKey, item => store[item.RemoteRef.Key]);
            foreach (var setting in workload.SecretSettings)
            {
                var expected = setting.Value.Render(input => store[KubernetesOptions.DefaultRemoteKeyPrefix + input.ParameterName], service: service => RenderedKubernetesFixture.NameOf(variant, service));
                Assert.Equal(expected, Evaluate(secret.Spec.Target.Template.Data[setting.Name], read));
            }
        }

        Assert.Contains(secrets.SelectMany(secret => secret.Spec.Target.Template.Data.Values), value => value.Contains("Password={{ .", StringComparison.Ordinal));
    }

    /// <summary>
    /// The chart with the operator's database too: what exists only for the chart's own database goes, and no
    /// ExternalSecret is left without data (the operator's webhook refuses one: "either data or dataFrom should be
    /// specified"); the migrator, whose every secret was for that database, keeps the chart's empty Secret its pod names.
    /// </summary>
    [Fact]
    public async Task With_an_external_database_too_no_ExternalSecret_is_empty_and_the_migrator_keeps_an_empty_Secret()
    {
        var scratch = Directory.CreateTempSubdirectory("phase4-external-");
        try
        {
            Generation.Generate(await PublishedAppHostModel.LoadAsync(), Repository, scratch.FullName, ExternalSecretsRenderedFixture.Options);
            var objects = CustomResources.Parse(await KubernetesTools.HelmAsync(
                ["template", RenderedKubernetesFixture.HelmRelease, "./" + ChartWriter.Folder, "--namespace", KubernetesApp.DefaultNamespace,
                 "--set", $"imageTag={RenderedKubernetesFixture.HelmImageTag}", "--set", "database.external.enabled=true", "--set", "database.external.cidr=10.20.0.0/16"],
                scratch.FullName));

            Assert.All(objects.OfType<ExternalSecretResource>(), CustomResources.AssertValid);
            Assert.DoesNotContain(objects.OfType<ExternalSecretResource>(), secret => secret.Spec.Data.Any(item => item.RemoteRef.Key.EndsWith("postgres-password", StringComparison.Ordinal)));
            var migrator = objects.OfType<V1Job>().Single().Spec.Template.Container().EnvFrom.Single(source => source.SecretRef is not null).SecretRef.Name;
            Assert.Empty(Assert.Single(objects.OfType<V1Secret>(), secret => secret.Metadata.Name == migrator).Data ?? new Dictionary<string, byte[]>());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>
    /// apply plans no secret file and writes none (the operator's store holds every value); it applies the
    /// ExternalSecrets first and waits until the operator has written their Secrets (kubectl wait --help: "Wait for a
    /// specific condition on one or many resources"; the condition type is Ready, external-secrets
    /// apis/externalsecrets/v1/externalsecret_types.go ExternalSecretReady), so no pod starts before its Secret exists;
    /// destroy deletes them too (a Secret deleted alone would be written again).
    /// </summary>
    [Fact]
    public async Task Apply_creates_no_secret_file_waits_for_the_operator_and_destroy_deletes_the_ExternalSecrets()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var scratch = Directory.CreateTempSubdirectory("phase4-external-");
        try
        {
            Generation.Generate(await PublishedAppHostModel.LoadAsync(), Repository, scratch.FullName, ExternalSecretsRenderedFixture.Options);
            var console = new StringWriter();

            var exit = await new DeployVerbs(Repository, scratch.FullName, tools.Runner(dryRun: false, console))
                .ApplyAsync(rendered.App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: false);

            Assert.Equal(0, exit);
            Assert.Contains($"external secrets: nothing to create (the ClusterSecretStore {ExternalSecretsRenderedFixture.Store} must hold {string.Join(", ", ExternalSecrets.RemoteKeys(rendered.App))})",
                console.ToString(), StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFiles(scratch.FullName, "*.secrets", SearchOption.AllDirectories));
            const string selector = "app.kubernetes.io/part-of=phase4,app.kubernetes.io/component=secrets";
            var applies = tools.Commands.Where(command => command.Contains(" apply -f ", StringComparison.Ordinal) || command.Contains(" wait ", StringComparison.Ordinal)).ToList();
            Assert.Equal(
                [
                    $"kubectl --context dev apply -f - -l {selector}",
                    $"kubectl --context dev -n phase4 wait --for=condition=Ready externalsecrets.external-secrets.io -l {selector} --timeout=2m",
                ],
                applies.Where(command => !command.Contains("pod-security", StringComparison.Ordinal)).Take(2));

            // The manifests reach kubectl on standard input, as every apply's do.
            var manifests = CustomResources.Parse(Assert.Single(tools.Inputs, entry => entry.Command == $"kubectl --context dev apply -f - -l {selector}").Input);
            Assert.Empty(manifests.OfType<V1Secret>());
            Assert.Equal(rendered.App.Workloads.Count(w => w.SecretSettings.Count > 0), manifests.OfType<ExternalSecretResource>().Count());
            Assert.All(manifests.OfType<ExternalSecretResource>(), secret => Assert.Equal(ExternalSecrets.Component, secret.Metadata.Labels["app.kubernetes.io/component"]));

            Assert.Equal(0, await new DeployVerbs(Repository, scratch.FullName, tools.Runner(dryRun: false, new StringWriter())).DestroyAsync(kubeContext: null, KubernetesApp.DefaultNamespace, purge: false));
            Assert.Contains(tools.Commands, command => command.Contains(" delete ingress,", StringComparison.Ordinal) && command.Contains(",configmap,externalsecrets.external-secrets.io -l ", StringComparison.Ordinal));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_option_is_recorded_for_apply_and_the_base_has_no_secret_generator()
    {
        Assert.All(KustomizeWriter.Write(rendered.App).Values, content => Assert.DoesNotContain("secretGenerator", content, StringComparison.Ordinal));
        var options = CommandLine.Parse(["--secrets", "external", "--secret-store", ExternalSecretsRenderedFixture.Store, "--secret-store-kind", "ClusterSecretStore"]).Cluster;
        Assert.Equal(ExternalSecretsRenderedFixture.Options, options);
        Assert.Contains("\"secrets\": \"external\"", options.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_docs_name_every_key_the_store_must_hold()
    {
        string[] keys = [.. ExternalSecrets.RemoteKeys(rendered.App), KubernetesOptions.DefaultRemoteKeyPrefix + ClusterSettings.AiApiKey.ParameterName];
        foreach (var doc in (string[])["kubernetes.md", "security.md"])
        {
            var text = File.ReadAllText(Path.Combine(Infrastructure.RepositoryRoot.Folder, "docs", doc));
            Assert.All(keys, key => Assert.Contains($"`{key}`", text, StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("--secrets external", "--secrets external needs --secret-store")]
    [InlineData("--secrets external --secret-store Vault_1", "--secrets external needs --secret-store")]
    [InlineData("--secret-store vault", "apply to --secrets external only")]
    [InlineData("--secrets external --secret-store vault --secret-store-kind Store", "--secret-store-kind must be one of SecretStore, ClusterSecretStore")]
    [InlineData("--secrets external --secret-store vault --remote-key-prefix a:b", "--remote-key-prefix may hold")]
    [InlineData("--secrets vault", "--secrets must be one of generated, external")]
    public void Wrong_secret_options_are_refused_naming_the_option(string arguments, string message)
    {
        var failure = Assert.Throws<ArgumentException>(() => CommandLine.Parse(arguments.Split(' ')));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The actions the publisher writes (<c>{{ .key }}</c>, <c>{{ index . "key" }}</c>, <c>{{ "{{" }}</c>); any other fails the test.</summary>
    private static string Evaluate(string template, Dictionary<string, string> data)
    {
        Assert.DoesNotContain("{{", Action().Replace(template, ""), StringComparison.Ordinal);
        return Action().Replace(template, match => match.Groups["escaped"].Success ? "{{" : data[match.Groups["field"].Success ? match.Groups["field"].Value : match.Groups["key"].Value]);
    }

    [GeneratedRegex(@"\{\{ (\.(?<field>\w+)|index \. ""(?<key>[^""]+)""|""(?<escaped>\{\{)"") \}\}")]
    private static partial Regex Action();
}

/// <summary>Output generated now with <c>--secrets external --secret-store vault-backend --secret-store-kind ClusterSecretStore</c>.</summary>
public sealed class ExternalSecretsRenderedFixture() : RenderedKubernetesFixture(Options)
{
    public const string Store = "vault-backend";

    internal static KubernetesOptions Options { get; } = KubernetesOptions.Default with
    {
        Secrets = KubernetesOptions.ExternalSecrets,
        SecretStore = Store,
        SecretStoreKind = "ClusterSecretStore",
    };
}

[CollectionDefinition(Name)]
public sealed class ExternalSecretsRenderedGroup : ICollectionFixture<ExternalSecretsRenderedFixture>
{
    public const string Name = "Kubernetes with external secrets";
}
