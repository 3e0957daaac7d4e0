using Phase4.AppHost.Deployment;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Releases: the Kustomize route keeps its history in the cluster and <c>rollback</c> re-applies an earlier release's
/// exact manifests; the Helm route (<c>--chart</c>, <c>Publisher:Format=helm</c>) hands releases to Helm
/// (<c>helm upgrade --install</c>, <c>helm rollback</c>, <c>helm uninstall</c>), after the same server-side dry run.
/// Through the publisher's verbs and through the pinned Aspire CLI, on the stand-in tools.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class ReleaseTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private KubernetesApp App => rendered.App;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Each_apply_is_recorded_and_rollback_applies_the_previous_release_again_as_a_new_one()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var verbs = new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, new StringWriter()));
            Assert.Equal(0, await verbs.ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("one")), kubeContext: null, confirmed: false));
            Assert.Equal(0, await verbs.ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("two")), kubeContext: null, confirmed: false));
            var releases = ReleaseHistory.Parse(Releases(tools));
            Assert.Equal([(2, "deployed"), (1, "deployed")], releases.Select(release => (release.Revision, release.Status)));
            Assert.Contains("phase4/backend:one", releases[1].Manifests, StringComparison.Ordinal);
            Assert.Contains("phase4/backend:two", releases[0].Manifests, StringComparison.Ordinal);

            var console = new StringWriter();
            Assert.Equal(0, await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console)).RollbackAsync(App, kubeContext: null, revision: null));

            Assert.Contains("Rolling back to release v1", console.ToString(), StringComparison.Ordinal);
            Assert.Contains("Database migrations applied since are not undone", console.ToString(), StringComparison.Ordinal);
            // The record's manifests (Secrets included) go from the cluster to kubectl's standard input, never to a file.
            Assert.Equal(releases[1].Manifests, tools.Inputs.Last(entry => entry.Command == "kubectl --context dev apply -f -").Input);
            Assert.False(Directory.Exists(Path.Combine(output.FullName, DeployCommands.ApplyFolder, "rollback")));
            var after = ReleaseHistory.Parse(Releases(tools));
            Assert.Equal((3, "deployed", "rollback to v1"), (after[0].Revision, after[0].Status, after[0].Description));

            // A rollback from the rollback returns to v2, as helm rollback does.
            Assert.Equal(2, ReleaseHistory.Target(after, revision: null)!.Revision);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_history_keeps_the_newest_five_and_a_failed_release_is_never_a_rollback_target()
    {
        var releases = Enumerable.Range(1, 6).Reverse().Select(revision => new Release(revision, revision == 5 ? "failed" : "deployed", "apply", "", "")).ToList();
        Assert.Equal(4, ReleaseHistory.Target(releases, revision: null)!.Revision);
        Assert.Equal(
            ["kubectl", "--context", "dev", "-n", "phase4", "delete", "secret", "phase4-release-v2", "phase4-release-v1", "--ignore-not-found"],
            ReleaseHistory.PruneCommand(new KubeContext("dev", true), releases)!);
        Assert.Null(ReleaseHistory.Target([], revision: null));
    }

    /// <summary>
    /// <c>aspire do rollback</c> runs the publisher's rollback step on the history the cluster holds.
    /// </summary>
    [Fact]
    public async Task Aspire_do_rollback_applies_the_previous_deployed_release()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.AddRelease("phase4-release-v1", ReleaseHistory.Record(new Release(1, "deployed", "apply", "phase4/backend:one", "# release one\n"), KubernetesApp.DefaultNamespace));
        tools.AddRelease("phase4-release-v2", ReleaseHistory.Record(new Release(2, "failed", "apply", "phase4/backend:two", "# release two\n"), KubernetesApp.DefaultNamespace));
        var output = Directory.CreateTempSubdirectory("phase4-aspire-rollback-");
        try
        {
            var (exit, printed) = await AspireCli.RunAsync(["do", PublisherPipelineSteps.Rollback, "-o", output.FullName], [], tools.ProcessEnvironment);

            Assert.True(exit == 0, printed);
            var lines = AspireCli.StepLines(printed, PublisherPipelineSteps.Rollback);
            Assert.Contains(lines, line => line.StartsWith("Rolling back to release v1", StringComparison.Ordinal));
            Assert.Equal("# release one\n", tools.Inputs.Last(entry => entry.Command == "kubectl --context dev apply -f -").Input);
            Assert.False(Directory.Exists(Path.Combine(output.FullName, DeployCommands.ApplyFolder)));
            Assert.Equal((3, "deployed", "rollback to v1"), ReleaseHistory.Parse(Releases(tools)).Select(r => (r.Revision, r.Status, r.Description)).First());
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A refusal of the server-side dry run fails <c>aspire deploy</c> with the server's message, and nothing is applied
    /// or recorded.
    /// </summary>
    [Fact]
    public async Task Aspire_deploy_stops_when_the_API_server_refuses_the_change_in_the_dry_run()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1", "docker.io/phase4/frontend:t1"];
        tools.PreflightAnswer = (1, "Error from server (Forbidden): error when creating \"manifests.yaml\": pods \"x\" is forbidden: exceeded quota: compute, requested: limits.memory=512Mi\n");
        var output = Directory.CreateTempSubdirectory("phase4-aspire-deploy-");
        try
        {
            var (exit, printed) = await AspireCli.RunAsync(["deploy", "-o", output.FullName], ["--Publisher:Tag", "t1"], tools.ProcessEnvironment);

            Assert.NotEqual(0, exit);
            var lines = string.Join('\n', AspireCli.StepLines(printed, PublisherPipelineSteps.ApplyToKubernetes));
            Assert.Contains("refused the change in a server-side dry run; nothing was applied", lines, StringComparison.Ordinal);
            Assert.Contains("exceeded quota: compute", lines, StringComparison.Ordinal);
            Assert.DoesNotContain(tools.Commands, command => command.StartsWith("kubectl ", StringComparison.Ordinal) && command.Contains(" apply -f ", StringComparison.Ordinal));
            Assert.Empty(tools.Releases);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>Publisher:Format=helm</c>: the namespace with its Pod Security labels, the chart rendered (<c>helm template
    /// --dry-run=server</c>, so lookup reads the cluster's values) and dry-run on the server, then <c>helm upgrade
    /// --install … --wait --timeout 10m --rollback-on-failure</c> (helm upgrade --help, Helm 4.1) with the values in a
    /// file (the tags per image); <c>aspire destroy</c> runs <c>helm uninstall --wait</c> and deletes the hook objects
    /// Helm does not track; <c>aspire do rollback</c> runs <c>helm rollback</c>.
    /// </summary>
    [Fact]
    public async Task With_Format_helm_aspire_deploy_destroy_and_rollback_drive_a_Helm_release()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1", "docker.io/phase4/frontend:t1"];
        var output = Directory.CreateTempSubdirectory("phase4-aspire-helm-");
        try
        {
            string[] helm = ["--Publisher:Format", "helm", "--Publisher:Tag", "t1"];
            var (exit, printed) = await AspireCli.RunAsync(["deploy", "-o", output.FullName], helm, tools.ProcessEnvironment);

            Assert.True(exit == 0, printed);
            var folder = Repository.Relative(Path.Combine(output.FullName, DeployCommands.ApplyFolder, HelmRelease.Format));
            var chart = Repository.Relative(Path.Combine(output.FullName, "Chart"));
            const string Cluster = "--kube-context dev --namespace phase4";
            Assert.Equal(
                [
                    $"kubectl --context dev apply -f {Repository.Relative(Path.Combine(output.FullName, "namespace.yaml"))}",
                    $"helm template phase4 {chart} --values {folder}/values.yaml --dry-run=server {Cluster}",
                    "kubectl --context dev -n phase4 apply --server-side --force-conflicts --dry-run=server -f - -l app.kubernetes.io/component notin (job)",
                    $"helm upgrade --install phase4 {chart} --values {folder}/values.yaml --wait --timeout 10m --rollback-on-failure {Cluster}",
                ],
                tools.Commands.Where(command => !command.StartsWith("minikube ", StringComparison.Ordinal) && !command.Contains(" get nodes ", StringComparison.Ordinal)
                    && !command.Contains(" get namespace ", StringComparison.Ordinal)));
            var values = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(output.FullName, DeployCommands.ApplyFolder, HelmRelease.Format, "values.yaml")))!;
            Assert.Equal("t1", values["imageTag"]!.GetValue<string>());
            Assert.Equal("NodePort", values["entryServiceType"]!.GetValue<string>());
            // The chart's rendering holds its generated Secret: the server-side dry run reads it on standard input.
            Assert.Equal(["values.yaml"], Directory.EnumerateFiles(Path.Combine(output.FullName, DeployCommands.ApplyFolder, HelmRelease.Format)).Select(Path.GetFileName));
            Assert.Contains("kind: Secret", Assert.Single(tools.Inputs, entry => entry.Command.Contains("--dry-run=server", StringComparison.Ordinal)).Input, StringComparison.Ordinal);
            Assert.Contains("Open the app: minikube -p dev service phase4-frontend -n phase4 --url", AspireCli.StepLines(printed, PublisherPipelineSteps.ApplyToKubernetes));

            var before = tools.Commands.Count;
            var (destroyExit, destroyed) = await AspireCli.RunAsync(["destroy", "--yes"], helm, tools.ProcessEnvironment);
            Assert.True(destroyExit == 0, destroyed);
            Assert.Equal(
                [
                    $"helm uninstall phase4 --wait --timeout 10m {Cluster}",
                    "kubectl --context dev -n phase4 delete job,configmap,secret,networkpolicy -l app.kubernetes.io/instance=phase4,app.kubernetes.io/managed-by=Helm,app.kubernetes.io/component=job --ignore-not-found --wait=true",
                ],
                tools.Commands.Skip(before));
            Assert.Contains(AspireCli.StepLines(destroyed, PublisherPipelineSteps.DeleteFromKubernetes), line => line.Contains("phase4-generated-secrets", StringComparison.Ordinal) && line.Contains("kept", StringComparison.Ordinal));

            before = tools.Commands.Count;
            var (rollbackExit, rolledBack) = await AspireCli.RunAsync(["do", PublisherPipelineSteps.Rollback], [.. helm, "--Publisher:Revision", "2"], tools.ProcessEnvironment);
            Assert.True(rollbackExit == 0, rolledBack);
            Assert.Equal([$"helm rollback phase4 2 --wait --timeout 10m {Cluster}"], tools.Commands.Skip(before));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>The production values: the Ingress and its host, two replicas at least, backups, both volumes' StorageClass.</summary>
    [Fact]
    public void The_production_values_of_the_Helm_route_match_the_production_overlay()
    {
        var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org/team", "--host", "todo.example.org",
            "--tls-secret", "todo-tls", "--ingress-class", "nginx", "--storage-class", "fast-ssd"]).ApplySettings(ImageTags.FromInputs(App, Repository, fixedTag: null));
        var values = System.Text.Json.Nodes.JsonNode.Parse(HelmRelease.Values(App, settings))!;

        Assert.Null(values["imageTag"]);
        Assert.Equal(settings.Tags.TagOf(App.Workload("backend")), values["backend"]!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal(settings.Tags.TagOf(App.Workload("backend")), values["migrator"]!["image"]!["tag"]!.GetValue<string>());
        Assert.Equal("registry.example.org/team", values["imageRegistry"]!.GetValue<string>());
        Assert.Equal("todo.example.org", values["ingress"]!["host"]!.GetValue<string>());
        Assert.Equal("nginx", values["ingress"]!["className"]!.GetValue<string>());
        Assert.Equal("todo-tls", values["ingress"]!["tls"]!["secretName"]!.GetValue<string>());
        Assert.Equal(KustomizeWriter.ProductionMinReplicas, values["backend"]!["autoscaling"]!["minReplicas"]!.GetValue<int>());
        Assert.Equal("fast-ssd", values["postgres"]!["persistence"]!["storageClassName"]!.GetValue<string>());
        Assert.Equal("fast-ssd", values["backup"]!["storage"]!["storageClassName"]!.GetValue<string>());
        Assert.True(values["backup"]!["enabled"]!.GetValue<bool>());
    }

    private static string Releases(StandInTools tools) => "{\"items\":[" + string.Join(',', tools.Releases.Values) + "]}";
}
