using Phase4.AppHost.Deployment;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>aspire publish</c>, <c>deploy</c>, <c>destroy</c> and <c>do</c> on this AppHost through the pinned Aspire CLI: the
/// publisher's verbs as pipeline steps. What needs a cluster or an engine goes to the stand-ins of
/// <see cref="StandInTools"/>, found on the PATH as the AppHost finds the real tools.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class AspirePipelineTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private KubernetesApp App => rendered.App;

    [Fact]
    public async Task Aspire_publish_writes_exactly_the_files_Publisher_generate_writes()
    {
        var scratch = Directory.CreateTempSubdirectory("phase4-aspire-publish-");
        try
        {
            // Siblings, so the compose file's build contexts (relative to the output folder) are the same text.
            var generated = Path.Combine(scratch.FullName, "generate");
            var published = Path.Combine(scratch.FullName, "aspire");
            Generation.Generate(await PublishedAppHostModel.LoadAsync(), Repository, generated, KubernetesOptions.Default);

            var (exit, output) = await AspireCli.RunAsync(["publish", "-o", published], []);

            Assert.True(exit == 0, output);
            var expected = Files(generated);
            var actual = Files(published);
            Assert.Contains("docker-compose.yaml", expected.Keys);
            Assert.Contains("Chart/Chart.yaml", expected.Keys);
            Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(actual[file.Key]), $"{file.Key} differs"));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Aspire_deploy_and_destroy_list_the_publisher_steps_by_what_they_do()
    {
        var (deployExit, deploy) = await AspireCli.RunAsync(["deploy", "--list-steps"], []);
        var (destroyExit, destroy) = await AspireCli.RunAsync(["destroy", "--list-steps", "--yes"], []);

        Assert.True(deployExit == 0, deploy);
        Assert.True(destroyExit == 0, destroy);
        Assert.Matches($@"\d+\. {PublisherPipelineSteps.ApplyToKubernetes}\s+└─ Depends on: {PublisherPipelineSteps.WriteDeploymentFiles}, {PublisherPipelineSteps.BuildImages}\s", deploy);
        Assert.Matches($@"\d+\. deploy\s+└─ Depends on: {PublisherPipelineSteps.ApplyToKubernetes}\s", deploy);
        Assert.Matches($@"\d+\. destroy\s+└─ Depends on: {PublisherPipelineSteps.DeleteFromKubernetes}\s", destroy);
    }

    /// <summary><c>aspire do STEP</c> runs the step and what it depends on: the image build needs nothing else.</summary>
    [Fact]
    public async Task Aspire_do_build_images_builds_only_the_images_and_dry_run_prints_the_commands_without_running_them()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);

        var (exit, output) = await AspireCli.RunAsync(
            ["do", PublisherPipelineSteps.BuildImages], ["--Publisher:DryRun", "true", "--Publisher:Tag", "t1"], tools.ProcessEnvironment);

        Assert.True(exit == 0, output);
        var printed = AspireCli.StepLines(output, PublisherPipelineSteps.BuildImages);
        Assert.Equal(
            new ImageBuild(ImageBuild.Minikube, StandInTools.MinikubeContext, ImageTags.FromInputs(App, Repository, "t1"), null, Push: false).Commands(App).Select(ToolRunnerLine),
            printed.Where(line => line.StartsWith("$ ", StringComparison.Ordinal) && line.Contains(" image build ", StringComparison.Ordinal)));
        Assert.DoesNotContain($"({PublisherPipelineSteps.WriteDeploymentFiles})", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"({PublisherPipelineSteps.ApplyToKubernetes})", output, StringComparison.Ordinal);
        Assert.Empty(tools.Commands);
    }

    /// <summary>
    /// The two other ways Aspire hands settings to an AppHost: <c>-e NAME</c> selects
    /// <c>AppHost/appsettings.NAME.json</c> (the AppHost's environment), and environment variables (<c>Publisher__Engine</c>).
    /// </summary>
    [Fact]
    public async Task Options_reach_the_steps_from_the_settings_file_aspire_e_selects_and_from_environment_variables()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var settings = Path.Combine(Repository.Root, "AppHost", "appsettings.PipelineOptionsTest.json");
        await File.WriteAllTextAsync(settings, """{ "Publisher": { "DryRun": true, "Tag": "from-file" } }""");
        try
        {
            var environment = new Dictionary<string, string>(tools.ProcessEnvironment) { ["Publisher__Engine"] = "podman" };

            var (exit, output) = await AspireCli.RunAsync(["do", PublisherPipelineSteps.BuildImages, "-e", "PipelineOptionsTest"], [], environment);

            Assert.True(exit == 0, output);
            Assert.Contains(
                ToolRunnerLine(["podman", "build", "-t", "phase4/backend:from-file", "-f", "Backend.Api/Dockerfile",
                    "--label", $"{BuildInputs.DigestLabel}={BuildInputs.Digest(Repository, (Phase4.Publisher.Model.BuiltImage)App.Workload("backend").Source.Image)}", "."]),
                AspireCli.StepLines(output, PublisherPipelineSteps.BuildImages));
            Assert.Empty(tools.Commands);
        }
        finally
        {
            File.Delete(settings);
        }
    }

    /// <summary>
    /// A real <c>aspire deploy</c> on stand-ins: the publisher's build into Minikube, then its apply (the commands
    /// <c>DeployCommandTests</c> holds to kubectl's documentation). A second deploy, with the database volume present,
    /// keeps every secret byte for byte: the secret files in the output folder are the source of truth.
    /// </summary>
    [Fact]
    public async Task Aspire_deploy_builds_and_applies_like_the_publisher_and_a_second_deploy_changes_no_secret()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1", "docker.io/phase4/frontend:t1"];
        var output = Directory.CreateTempSubdirectory("phase4-aspire-deploy-");
        try
        {
            string[] deploy = ["deploy", "-o", output.FullName];
            var (exit, printed) = await AspireCli.RunAsync(deploy, ["--Publisher:Tag", "t1"], tools.ProcessEnvironment);

            Assert.True(exit == 0, printed);
            var build = new ImageBuild(ImageBuild.Minikube, StandInTools.MinikubeContext, ImageTags.FromInputs(App, Repository, "t1"), null, Push: false);
            Assert.Equal(
                [.. build.Commands(App).Select(ToolLogLine), ToolLogLine(build.ListCommand()), .. build.Images(App).Select(entry => ToolLogLine(build.LabelQuery(entry.Image)))],
                tools.Commands.Where(command => command.StartsWith("minikube ", StringComparison.Ordinal)));
            Assert.Equal(
                [
                    "kubectl --context dev get nodes -o jsonpath={.items[0].status.nodeInfo.containerRuntimeVersion}",
                    DeployCommandTests.SecretQuery("dev"),
                    "kubectl --context dev -n phase4 get pvc postgres-data-postgres-0 --ignore-not-found -o name",
                    .. DeployCommandTests.ExpectedApply(App, "dev", Path.Combine(output.FullName, DeployCommands.ApplyFolder, "minikube"), revision: 1),
                ],
                tools.Commands.Where(command => command.StartsWith("kubectl ", StringComparison.Ordinal)));
            Assert.True(
                tools.Commands.ToList().FindLastIndex(command => command.StartsWith("minikube ", StringComparison.Ordinal))
                < tools.Commands.ToList().FindIndex(command => command.StartsWith("kubectl ", StringComparison.Ordinal) && !command.Contains(" get nodes ", StringComparison.Ordinal)),
                "every image built before anything is applied (build only reads the node's container runtime)");
            var secrets = StandInTools.SecretsIn(tools.Inputs.Last(entry => entry.Command == "kubectl --context dev apply -f -").Input);
            Assert.NotEmpty(secrets);
            Assert.All(SecretFiles.Paths(App), path => Assert.False(File.Exists(Path.Combine(output.FullName, path)), path));

            // The cluster keeps them; the second deploy reads them back and applies the same Secrets.
            tools.KeepAppliedSecrets();
            tools.ExistingClaim = "persistentvolumeclaim/postgres-data-postgres-0";
            var (again, printedAgain) = await AspireCli.RunAsync(deploy, ["--Publisher:Tag", "t1"], tools.ProcessEnvironment);

            Assert.True(again == 0, printedAgain);
            Assert.Equal(secrets, StandInTools.SecretsIn(tools.Inputs.Last(entry => entry.Command == "kubectl --context dev apply -f -").Input));
            Assert.DoesNotContain(AspireCli.StepLines(printedAgain, PublisherPipelineSteps.ApplyToKubernetes),
                line => line.StartsWith("create ", StringComparison.Ordinal) || line.StartsWith("add to ", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>minikube image build</c> exits 0 when a build failed, so the publisher lists the images afterwards; one is
    /// missing here, so the build step fails, and with it the deploy, before anything is applied.
    /// </summary>
    [Fact]
    public async Task A_failed_image_build_fails_aspire_deploy_before_anything_is_applied()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1"];
        var output = Directory.CreateTempSubdirectory("phase4-aspire-deploy-");
        try
        {
            var (exit, printed) = await AspireCli.RunAsync(["deploy", "-o", output.FullName], ["--Publisher:Tag", "t1"], tools.ProcessEnvironment);

            Assert.NotEqual(0, exit);
            Assert.Contains("phase4/frontend:t1 is not in the cluster", string.Join('\n', AspireCli.StepLines(printed, PublisherPipelineSteps.BuildImages)), StringComparison.Ordinal);
            Assert.DoesNotContain(tools.Commands, command => command.StartsWith("kubectl ", StringComparison.Ordinal) && !command.Contains(" get nodes ", StringComparison.Ordinal));
            Assert.All(SecretFiles.Paths(App), path => Assert.False(File.Exists(Path.Combine(output.FullName, path)), path));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>The production options as configuration keys reach the publisher's build and apply; dry-run runs nothing.</summary>
    [Fact]
    public async Task Aspire_deploy_dry_run_with_the_production_options_prints_the_registry_images_and_the_context_and_writes_no_secret()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = Directory.CreateTempSubdirectory("phase4-aspire-deploy-");
        try
        {
            var (exit, printed) = await AspireCli.RunAsync(["deploy", "-o", output.FullName],
            [
                "--Publisher:DryRun", "true", "--Publisher:Overlay", "production", "--Publisher:Registry", "registry.example.org/team",
                "--Publisher:Host", "todo.example.org", "--Publisher:Tag", "v7", "--Publisher:KubeContext", StandInTools.ClusterContext,
                "--Publisher:Engine", "podman", "--Publisher:Push", "true",
            ], tools.ProcessEnvironment);

            Assert.True(exit == 0, printed);
            var build = new ImageBuild("podman", null, ImageTags.FromInputs(App, Repository, "v7"), "registry.example.org/team", Push: true);
            Assert.Equal(build.Commands(App).Select(ToolRunnerLine), AspireCli.StepLines(printed, PublisherPipelineSteps.BuildImages)
                .Where(line => line.StartsWith("$ ", StringComparison.Ordinal) && !line.Contains(" image inspect ", StringComparison.Ordinal)));
            var apply = AspireCli.StepLines(printed, PublisherPipelineSteps.ApplyToKubernetes);
            Assert.Equal($"Kubernetes context: {StandInTools.ClusterContext}", apply[0]);
            Assert.Contains("$ kubectl --context prod apply -f -  # standard input: the rendered manifests", apply);
            Assert.Contains("Open the app: https://todo.example.org", apply);
            Assert.Empty(tools.Commands);
            Assert.All(SecretFiles.Paths(App), path => Assert.False(File.Exists(Path.Combine(output.FullName, path)), path));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Aspire_destroy_deletes_the_workloads_on_the_context_and_keeps_the_database_volume_and_the_Secrets()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);

        var (exit, printed) = await AspireCli.RunAsync(["destroy", "--yes"], [], tools.ProcessEnvironment);

        Assert.True(exit == 0, printed);
        Assert.Equal(DeployCommands.Destroy(new KubeContext(StandInTools.ClusterContext, IsMinikube: false), purge: false).Select(ToolLogLine), tools.Commands);
        Assert.Contains("The database volume and the workloads' Secrets (the generated secrets) are kept; `destroy --purge` deletes them with the namespace.",
            AspireCli.StepLines(printed, PublisherPipelineSteps.DeleteFromKubernetes));
    }

    /// <summary>How a stand-in logs a command: the tool and its arguments joined by spaces.</summary>
    private static string ToolLogLine(string[] command) => string.Join(' ', command);

    /// <summary>How the publisher prints a command it runs (or would run, in dry-run mode).</summary>
    private static string ToolRunnerLine(string[] command)
    {
        var console = new StringWriter();
        new ToolRunner(Repository.Root, dryRun: true, console).Print(command);
        return console.ToString().TrimEnd('\n');
    }

    private static Dictionary<string, byte[]> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(file => Path.GetRelativePath(folder, file).Replace('\\', '/'), File.ReadAllBytes);
}
