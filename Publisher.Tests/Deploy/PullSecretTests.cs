using System.Text;
using System.Text.Json.Nodes;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Kubernetes.Helm;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Private registries: <c>apply --registry R --pull-secret NAME</c> puts the Secret in every pod template (Kustomize
/// patches; the chart's <c>imagePullSecrets</c> value), and <c>--create-pull-secret</c> creates it from credentials that
/// reach kubectl on standard input only.
/// </summary>
public sealed class PullSecretTests
{
    private const string Password = "s3cr3t-Pa55-word!";

    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private static RegistryCredentials Credentials(string registry = "registry.example.org:5000/team") => RegistryCredentials.Read(registry,
        name => name switch { RegistryCredentials.UsernameVariable => "deployer", RegistryCredentials.PasswordVariable => Password, _ => null }, standardInput: null);

    /// <summary>
    /// Kustomize's <c>patches</c> with a target naming only a kind apply to every object of that kind (Kustomize docs,
    /// patches: "target … selects resources by group, version, kind, name, namespace, labelSelector and
    /// annotationSelector"); an RFC 6902 <c>add</c> creates the member. The output with the dashboard, production's backup
    /// CronJob included, so every kind of pod template is there.
    /// </summary>
    [Theory]
    [InlineData("minikube")]
    [InlineData("production")]
    public async Task Every_pod_template_the_overlay_renders_pulls_with_the_secret(string overlay)
    {
        using var output = await ScratchOutput.GenerateAsync(KubernetesOptions.Default with { IncludeDashboard = true });
        string[] common = ["--overlay", overlay, "--registry", "registry.example.org/team", .. overlay == "production" ? ["--host", "todo.example.org"] : Array.Empty<string>()];
        var objects = await output.RenderApplyAsync(CommandLine.Parse([.. common, "--pull-secret", "regcred"]).ApplySettings(ImageTags.Of("v1")));

        var templates = PodTemplates(objects);
        Assert.Contains(templates, entry => entry.Name == AspireDashboard.Name);
        Assert.Equal(overlay == "production", templates.Any(entry => entry.Name == DatabaseBackup.Name));
        Assert.Equal(output.App.Workloads.Count(w => !w.IsExternal) + (overlay == "production" ? 1 : 0), templates.Count);
        Assert.All(templates, entry => Assert.Equal(["regcred"], entry.Template.Spec.ImagePullSecrets?.Select(secret => secret.Name) ?? []));

        var without = await output.RenderApplyAsync(CommandLine.Parse(common).ApplySettings(ImageTags.Of("v1")));
        Assert.All(PodTemplates(without), entry => Assert.Null(entry.Template.Spec.ImagePullSecrets));
    }

    /// <summary>
    /// The Secret goes to <c>kubectl apply -f -</c> on standard input ("Apply the JSON passed into stdin", kubectl apply
    /// --help), after the server accepted the change and before any pod pulls; its <c>.dockerconfigjson</c> is what
    /// <c>kubectl create secret docker-registry</c> writes for the same credentials (that command takes the password as
    /// <c>--docker-password</c>, on its command line: this test runs it with a fake one to compare).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_created_pull_secret_reaches_kubectl_only_on_standard_input_and_nothing_else_holds_the_password()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        using var output = await ScratchOutput.GenerateAsync(KubernetesOptions.Default);
        var settings = CommandLine.Parse(["--registry", "registry.example.org:5000/team", "--pull-secret", "regcred", "--create-pull-secret"])
            .ApplySettings(ImageTags.Of("t1")) with { NewPullSecret = new RegistryPullSecret("regcred", Credentials()) };
        var console = new StringWriter();

        Assert.Equal(0, await new DeployVerbs(Repository, output.Folder.FullName, tools.Runner(dryRun: false, console))
            .ApplyAsync(output.App, settings, kubeContext: null, confirmed: false));

        var commands = tools.Commands.ToList();
        var created = commands.IndexOf("kubectl --context dev -n phase4 apply -f -");
        Assert.True(created > commands.FindIndex(command => command.Contains("--dry-run=server", StringComparison.Ordinal)), "after the server-side dry run");
        Assert.True(created < commands.FindIndex(command => command.Contains(" create -f ", StringComparison.Ordinal)), "before the release and its pods");
        Assert.DoesNotContain(commands, command => command.Contains(Password, StringComparison.Ordinal));
        Assert.DoesNotContain(Password, console.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(output.Folder.FullName, "*", SearchOption.AllDirectories),
            file => File.ReadAllText(file).Contains(Password, StringComparison.Ordinal) || File.ReadAllText(file).Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes($"deployer:{Password}")), StringComparison.Ordinal));

        var secret = KubernetesJson.Deserialize<V1Secret>(Assert.Single(tools.Inputs, entry => entry.Command == "kubectl --context dev -n phase4 apply -f -").Input);
        Assert.Equal(("regcred", "phase4", "kubernetes.io/dockerconfigjson"), (secret.Metadata.Name, secret.Metadata.NamespaceProperty, secret.Type));
        var kubectlsOwn = JsonNode.Parse(await KubernetesTools.RunAsync(KubernetesTools.Kubectl,
            ["create", "secret", "docker-registry", "regcred", "--docker-server=registry.example.org:5000", "--docker-username=deployer", $"--docker-password={Password}", "--dry-run=client", "-o", "json"],
            Repository.Root))!;
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(Convert.FromBase64String(kubectlsOwn["data"]![".dockerconfigjson"]!.GetValue<string>())),
            JsonNode.Parse(secret.Data[".dockerconfigjson"])));

        // destroy finds the app's objects by part-of and managed-by: the operator's credential is not among them.
        Assert.False(secret.Metadata.Labels.ContainsKey("app.kubernetes.io/managed-by"));
    }

    [Fact]
    public void The_password_is_read_from_the_environment_or_all_of_standard_input_less_one_line_break_and_never_printed()
    {
        var fromEnvironment = Credentials();
        Assert.Equal(("registry.example.org:5000", "deployer", Password), (fromEnvironment.Server, fromEnvironment.Username, fromEnvironment.Password));
        Assert.DoesNotContain(Password, new RegistryPullSecret("regcred", fromEnvironment).ToString(), StringComparison.Ordinal);

        // docker cli's login --password-stdin: the whole input, one trailing "\n" then one "\r" removed.
        var fromInput = RegistryCredentials.Read("registry.example.org", name => name == RegistryCredentials.UsernameVariable ? "deployer" : "ignored", new StringReader("pass word\r\n"));
        Assert.Equal(("registry.example.org", "pass word"), (fromInput.Server, fromInput.Password));

        var missing = Assert.Throws<ArgumentException>(() => RegistryCredentials.Read("registry.example.org", _ => null, standardInput: null));
        Assert.Contains(RegistryCredentials.UsernameVariable, missing.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RegistryCredentials.Read("registry.example.org", name => name == RegistryCredentials.UsernameVariable ? "deployer" : null, new StringReader("\n")));
    }

    [Theory]
    [InlineData("--pull-secret regcred", "--pull-secret needs --registry")]
    [InlineData("--registry registry.example.org --create-pull-secret", "--create-pull-secret needs --pull-secret")]
    [InlineData("--registry registry.example.org --pull-secret regcred --password-stdin", "--password-stdin goes with --create-pull-secret")]
    [InlineData("--registry registry.example.org --pull-secret Reg_Cred", "--pull-secret must be a Secret's name")]
    public void A_pull_secret_needs_its_registry_and_creating_one_needs_its_name(string arguments, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => CommandLine.Parse(arguments.Split(' '), "apply")).Message, StringComparison.Ordinal);

    /// <summary>
    /// <c>apply --chart --pull-secret</c> sets the chart's <c>imagePullSecrets</c> (a list of LocalObjectReferences, as a
    /// pod's field is), which every pod template of the chart renders, the backup CronJob's included.
    /// </summary>
    [Fact]
    public async Task The_chart_takes_the_pull_secret_as_a_value_into_every_pod_template()
    {
        using var output = await ScratchOutput.GenerateAsync(KubernetesOptions.Default with { IncludeDashboard = true });
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org/team", "--host", "todo.example.org", "--pull-secret", "regcred"])
            .ApplySettings(ImageTags.Of("v1"));
        var values = Path.Combine(output.Folder.FullName, "values.json");
        await File.WriteAllTextAsync(values, HelmRelease.Values(output.App, settings));
        var secrets = Path.Combine(output.Folder.FullName, "secrets.yaml");
        await File.WriteAllTextAsync(secrets, RenderedKubernetesFixture.SecretValues(output.App, InputValues.CreateMissing(output.App.Inputs, new Dictionary<string, string>(), _ => null)));

        var objects = KubernetesYaml.LoadAllFromString(await KubernetesTools.HelmAsync(
            ["template", HelmRelease.Name, "./" + ChartWriter.Folder, "--namespace", output.App.Namespace, "--values", values, "--values", secrets], output.Folder.FullName), typeMap: null, strict: true);

        var templates = PodTemplates(objects);
        Assert.Contains(templates, entry => entry.Name == DatabaseBackup.Name);
        Assert.Contains(templates, entry => entry.Name == AspireDashboard.Name);
        Assert.All(templates, entry => Assert.Equal(["regcred"], entry.Template.Spec.ImagePullSecrets?.Select(secret => secret.Name) ?? []));
    }

    /// <summary>Every pod template by its pods' <c>app.kubernetes.io/name</c>.</summary>
    private static List<(string Name, V1PodTemplateSpec Template)> PodTemplates(IEnumerable<object> objects) =>
    [
        .. objects.OfType<V1Deployment>().Select(d => d.Spec.Template)
            .Concat(objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template))
            .Concat(objects.OfType<V1Job>().Select(j => j.Spec.Template))
            .Concat(objects.OfType<V1CronJob>().Select(c => c.Spec.JobTemplate.Spec.Template))
            .Select(template => (template.Metadata.Labels["app.kubernetes.io/name"], template)),
    ];
}
