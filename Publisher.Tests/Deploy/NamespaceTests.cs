using System.Text.RegularExpressions;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>generate --namespace NAME</c>: the namespace is written into the output and recorded in publisher-state.json, and
/// every verb that acts on the cluster (apply, rollback, destroy, backup, restore; the chart's release too) acts there.
/// </summary>
public sealed partial class NamespaceTests
{
    private const string Team = "team-a";

    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private static KubernetesOptions TeamOptions => KubernetesOptions.Default with { Namespace = Team, IncludeDashboard = true };

    /// <summary>
    /// The base and both overlays rendered by kubectl kustomize: every object is in the namespace, and nothing names the
    /// default one but what names the app (its labels, image repositories, database roles, placeholder host and TLS
    /// Secret); the same scan finds <c>phase4</c> as a namespace in the default output, so it can fail.
    /// </summary>
    [Fact]
    public async Task Every_object_selector_and_host_of_the_rendered_output_is_in_the_generated_namespace()
    {
        using var team = await ScratchOutput.GenerateAsync(TeamOptions);
        using var standard = await ScratchOutput.GenerateAsync(KubernetesOptions.Default with { IncludeDashboard = true });
        foreach (var folder in (string[])[".", "overlays/minikube", "overlays/production"])
        {
            var yaml = await team.RenderAsync(folder);
            var objects = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
            Assert.Equal(Team, Assert.Single(objects.OfType<V1Namespace>()).Metadata.Name);
            Assert.All(objects.Where(item => item is not V1Namespace), item => Assert.Equal(Team, item.Metadata.NamespaceProperty));
            Assert.Empty(NotTheApp(yaml));
            Assert.Contains("namespace: phase4", NotTheApp(await standard.RenderAsync(folder)));
        }
    }

    /// <summary>Lines naming <c>phase4</c> other than as the app's name (labels, images, roles, the placeholder host and TLS Secret).</summary>
    private static List<string> NotTheApp(string yaml) => yaml.Split('\n')
        .Select(line => AppNames().Replace(line, ""))
        .Where(line => line.Contains("phase4", StringComparison.Ordinal))
        .Select(line => line.Trim())
        .ToList();

    [GeneratedRegex(@"app\.kubernetes\.io/(part-of|instance|managed-by): phase4(-publisher)?|phase4/[a-z]|phase4_[a-z]|phase4\.example\.com|phase4-tls|dev\.phase4/")]
    private static partial Regex AppNames();

    [Fact]
    public async Task The_namespace_is_recorded_for_the_verbs_after_generate()
    {
        using var team = await ScratchOutput.GenerateAsync(TeamOptions);
        Assert.Equal(Team, KubernetesOptions.Read(team.Folder.FullName).Namespace);
        Assert.Equal(KubernetesApp.DefaultNamespace, KubernetesOptions.Read(Repository.DefaultOutputFolder).Namespace);
        Assert.Equal(Team, CommandLine.Parse(["--namespace", Team], "generate").Cluster.Namespace);
    }

    /// <summary>A namespace's name is an RFC 1123 label (Kubernetes docs, "Object Names and IDs": at most 63 characters, lower-case alphanumerics or '-', starting and ending alphanumeric).</summary>
    [Theory]
    [InlineData("Team-A")]
    [InlineData("team_a")]
    [InlineData("-team")]
    [InlineData("team-")]
    [InlineData("team.a")]
    [InlineData("")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public void A_namespace_that_is_not_a_DNS_label_is_refused(string name) =>
        Assert.Contains("--namespace must be a DNS-1123 label", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--namespace", name], "generate")).Message, StringComparison.Ordinal);

    [Fact]
    public void The_longest_label_is_accepted_and_the_other_verbs_refuse_the_option_naming_generate()
    {
        var longest = "a" + new string('0', 61) + "z";
        Assert.Equal(longest, CommandLine.Parse(["--namespace", longest], "generate").Cluster.Namespace);
        foreach (var verb in (string[])["apply", "destroy", "rollback", "backup"])
        {
            Assert.Contains("generate option", Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--namespace", Team], verb)).Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// apply on the stand-in tools (the argument vectors of <see cref="DeployCommandTests.ExpectedApply"/>, whose
    /// citations hold) with <c>-n team-a</c> wherever a command names the namespace, the release recorded there, and the
    /// printed hint; then rollback lists and re-applies there, and backup dumps there (kubectl exec --help).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Apply_rollback_and_backup_act_in_the_namespace_and_print_it()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        using var team = await ScratchOutput.GenerateAsync(TeamOptions);
        var console = new StringWriter();
        var verbs = new DeployVerbs(Repository, team.Folder.FullName, tools.Runner(dryRun: false, console));

        Assert.Equal(0, await verbs.ApplyAsync(team.App, new ApplySettings("minikube", ImageTags.Of("one")), kubeContext: null, confirmed: false));

        var applied = Path.Combine(team.Folder.FullName, DeployCommands.ApplyFolder, "minikube");
        // The cluster's Secrets are read back in the namespace first (and the claim checked before creating them).
        Assert.Equal(
            [DeployCommandTests.SecretQuery("dev", Team), .. DeployCommandTests.ExpectedApply(team.App, "dev", applied, revision: 1)],
            tools.Commands.Where(command => !command.Contains(" get pvc ", StringComparison.Ordinal)));
        Assert.Contains("Open the app: minikube -p dev service frontend -n team-a --url", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"namespace\":\"team-a\"", Assert.Single(tools.Releases).Value, StringComparison.Ordinal);

        Assert.Equal(0, await verbs.ApplyAsync(team.App, new ApplySettings("minikube", ImageTags.Of("two")), kubeContext: null, confirmed: false));
        var before = tools.Commands.Count;
        Assert.Equal(0, await verbs.RollbackAsync(team.App, kubeContext: null, revision: null));
        var rollback = tools.Commands.Skip(before).ToList();
        Assert.Equal($"kubectl --context dev -n team-a get secret -l {ReleaseHistory.Selector} -o json", rollback[0]);
        Assert.All(rollback.Where(command => command.Contains(" -n ", StringComparison.Ordinal)), command => Assert.Contains(" -n team-a ", command, StringComparison.Ordinal));

        // backup dumps through the pod in the namespace; restore, unconfirmed, names it and changes nothing.
        tools.Dump = "PGDMP-custom-format"u8.ToArray();
        var dump = Path.Combine(team.Folder.FullName, "tasksdb.dump");
        Assert.Equal(0, await verbs.BackupAsync(team.App, kubeContext: null, dump, helm: false));
        Assert.StartsWith("kubectl --context dev -n team-a exec postgres-0 -c postgres -- sh -c ", tools.Commands[^1], StringComparison.Ordinal);
        before = tools.Commands.Count;
        Assert.Equal(1, await verbs.RestoreAsync(team.App, kubeContext: null, dump, confirmed: false, helm: false));
        Assert.Contains("restore replaces every table of tasksdb in namespace team-a", console.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, tools.Commands.Count);
    }

    /// <summary>
    /// destroy deletes by label in the namespace, or the namespace itself with --purge (kubectl delete --help); helm acts
    /// on the release in it (<c>--namespace</c>: helm --help, "namespace scope for this request").
    /// </summary>
    [Fact]
    public async Task Destroy_backup_restore_and_the_chart_name_the_namespace()
    {
        var context = new KubeContext("prod", IsMinikube: false) { Namespace = Team };
        Assert.All(DeployCommands.Destroy(context, purge: false), command => Assert.Equal(["kubectl", "--context", "prod", "-n", Team, "delete"], command[..6]));
        Assert.Equal(["kubectl", "--context", "prod", "delete", "namespace", Team, "--ignore-not-found", "--wait=true"], Assert.Single(DeployCommands.Destroy(context, purge: true)));
        Assert.Equal(["kubectl", "--context", "prod", "-n", Team, "exec", "postgres-0", "-c", "postgres", "--"], DatabaseVerbs.DumpCommand(context, "postgres-0", "postgres", "postgres", "tasksdb")[..10]);
        Assert.Equal(["kubectl", "--context", "prod", "-n", Team, "exec", "-i", "postgres-0"], DatabaseVerbs.RestoreCommand(context, "postgres-0", "postgres", "postgres", "tasksdb")[..8]);
        Assert.Equal(["--kube-context", "prod", "--namespace", Team], HelmRelease.Uninstall(context)[^4..]);
        Assert.Equal(["kubectl", "--context", "prod", "-n", Team, "apply", "-f", "-"], RegistryPullSecret.Command(context));

        using var tools = new StandInTools(StandInTools.MinikubeContext);
        Assert.Equal(0, await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, new StringWriter()))
            .DestroyAsync(kubeContext: null, Team, purge: true));
        Assert.Equal(["kubectl --context dev delete namespace team-a --ignore-not-found --wait=true"], tools.Commands);
    }
}
