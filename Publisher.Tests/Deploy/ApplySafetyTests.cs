using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// What makes a later deploy safe, on the stand-in tools: the image carrying a tag is checked to be the build just
/// made; the API server judges the whole change before anything is applied; a pod that cannot pull its image or read
/// its settings stops <c>apply</c> within seconds, naming the workload, the image and the likely cause.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class ApplySafetyTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private KubernetesApp App => rendered.App;

    /// <summary>
    /// minikube image build exits 0 when the build failed (minikube pkg/minikube/machine/build_images.go BuildImage logs
    /// the failed nodes and returns nil), so an image already under the tag would pass a presence check. The digest
    /// label read back tells the old image from the new one, on both node runtimes (the opt is the runtime's: docker
    /// build's <c>--label</c>, BuildKit's <c>label:</c> frontend option).
    /// </summary>
    [Theory]
    [InlineData("docker://28.4.0", "--build-opt=label=")]
    [InlineData("containerd://1.7.27", "--build-opt=opt=label:")]
    public async Task A_failed_minikube_rebuild_under_an_existing_tag_is_caught_by_the_digest_label(string runtime, string labelOption)
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.NodeRuntime = runtime;
        var tags = ImageTags.FromInputs(App, Repository, "v1");
        tools.MinikubeImages = ["docker.io/phase4/backend:v1", "docker.io/phase4/mcpserver:v1", "docker.io/phase4/frontend:v1"];
        tools.ExistingImage("phase4/frontend:v1", new string('0', 64));
        tools.FailingBuilds = ["phase4/frontend:v1"];
        var console = new StringWriter();

        var exit = await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, console))
            .BuildAsync(App, engine: null, kubeContext: null, tags, registry: null, push: false);

        Assert.Equal(1, exit);
        Assert.Contains("phase4/frontend:v1 is not the image just built", console.ToString(), StringComparison.Ordinal);
        Assert.All(tools.Commands.Where(command => command.Contains(" image build ", StringComparison.Ordinal)),
            command => Assert.Contains($" {labelOption}{BuildInputs.DigestLabel}=", command, StringComparison.Ordinal));

        tools.FailingBuilds = [];
        Assert.Equal(0, await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, new StringWriter()))
            .BuildAsync(App, engine: null, kubeContext: null, tags, registry: null, push: false));
    }

    /// <summary>
    /// Kubernetes forbids changing a StatefulSet's volume claim templates (kubernetes/kubernetes
    /// pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate: "updates to statefulset spec for fields other
    /// than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and
    /// 'minReadySeconds' are forbidden"). The server-side dry run gets that answer before anything changes; apply stops
    /// with it, and says how to move the data.
    /// </summary>
    [Fact]
    public async Task A_storage_change_the_API_server_refuses_stops_apply_before_anything_changes_and_names_the_way_out()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);
        tools.PreflightAnswer = (1, """
            Error from server (Invalid): StatefulSet.apps "postgres" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden
            """);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org", "--host", "todo.example.org", "--storage-class", "fast-ssd"])
                .ApplySettings(ImageTags.Of("v2"));
            var console = new StringWriter();

            var exit = await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console)).ApplyAsync(App, settings, kubeContext: null, confirmed: false);

            Assert.Equal(1, exit);
            var printed = console.ToString();
            Assert.Contains("refused the change in a server-side dry run; nothing was applied", printed, StringComparison.Ordinal);
            Assert.Contains("updates to statefulset spec for fields other than", printed, StringComparison.Ordinal);
            Assert.Contains("-- backup --output tasksdb.dump", printed, StringComparison.Ordinal);
            Assert.Contains("-- restore tasksdb.dump --yes", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(tools.Commands, command => command.Contains(" apply ", StringComparison.Ordinal) && !command.Contains("--dry-run=server", StringComparison.Ordinal));
            Assert.DoesNotContain(tools.Commands, command => command.Contains(" create ", StringComparison.Ordinal) || command.Contains(" delete ", StringComparison.Ordinal));
            Assert.Empty(tools.Releases);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Pod Security admission enforces on pods only and warns for a workload's template (Kubernetes docs, "Pod Security
    /// Admission": "the warn and audit modes are also checked … on workload resources"), with kubectl printing the
    /// server's warning: the dry run passes, the pods would never start. apply counts the warning as a refusal; on a
    /// first deploy it created the namespace to ask, and deletes it again.
    /// </summary>
    [Fact]
    public async Task A_Pod_Security_warning_in_the_dry_run_stops_a_first_deploy_and_removes_the_namespace_it_created()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.NamespaceExists = false;
        tools.PreflightAnswer = (0, """
            Warning: would violate PodSecurity "restricted:latest": runAsNonRoot != true (pod or container "backend" must set securityContext.runAsNonRoot=true)
            """);
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var console = new StringWriter();
            var exit = await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console))
                .ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: false);

            Assert.Equal(1, exit);
            Assert.Contains("would violate PodSecurity", console.ToString(), StringComparison.Ordinal);
            Assert.Equal(
                [
                    $"kubectl --context dev -n phase4 get secret -l {DeployCommands.DestroySelector},app.kubernetes.io/component!=release -o json",
                    "kubectl --context dev -n phase4 get pvc postgres-data-postgres-0 --ignore-not-found -o name",
                    "kubectl --context dev get namespace phase4 --ignore-not-found -o name",
                    "kubectl --context dev apply -f - -l pod-security.kubernetes.io/enforce",
                    "kubectl --context dev -n phase4 apply --server-side --force-conflicts --dry-run=server -f - -l app.kubernetes.io/component notin (job)",
                    "kubectl --context dev delete namespace phase4 --ignore-not-found --wait=false",
                ],
                tools.Commands);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Pod status shapes as the API documents them (core/v1 ContainerStatus.state.waiting), with the kubelet's messages:
    /// <c>Back-off pulling image "IMAGE"</c> (pkg/kubelet/images/image_manager.go) and the pull's error in the pod's
    /// <c>Failed</c> event; the runtimes' texts for a repository that does not exist (docker: "pull access denied … may
    /// require 'docker login'"), an unreachable registry ("dial tcp: lookup … no such host") and a registry that wants
    /// credentials ("401 Unauthorized").
    /// </summary>
    [Theory]
    [InlineData("minikube", null, "pull access denied for phase4/mcpserver, repository does not exist or may require 'docker login': denied: requested access to the resource is denied", "is not built into Minikube")]
    [InlineData("production", "registry.example.org", "failed to do request: Head \"https://registry.example.org/v2/phase4/mcpserver/manifests/v2\": dial tcp: lookup registry.example.org on 10.96.0.10:53: no such host", "unreachable from the cluster's nodes")]
    [InlineData("production", "registry.example.org", "failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://registry.example.org/token: 401 Unauthorized", "missing or wrong pull secret")]
    public async Task An_image_the_nodes_cannot_pull_stops_apply_within_seconds_naming_workload_image_and_cause(string overlay, string? registry, string pullError, string cause)
    {
        using var tools = new StandInTools(overlay == "minikube" ? StandInTools.MinikubeContext : StandInTools.ClusterContext);
        var image = $"{(registry is null ? "" : registry + "/")}phase4/mcpserver:v2";
        tools.RolloutStatus("deployment", "mcpserver", "Waiting for deployment \"mcpserver\" rollout to finish: 1 old replicas are pending termination...\n");
        tools.Pods("mcpserver", PodList(("mcpserver-7d9f-new", image, "ImagePullBackOff", $"Back-off pulling image \"{image}\"")));
        tools.Events = $"Pulling image \"{image}\"\nFailed to pull image \"{image}\": {pullError}\nError: ErrImagePull\nBack-off pulling image \"{image}\"\n";
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var settings = overlay == "minikube"
                ? new ApplySettings("minikube", ImageTags.Of("v2"))
                : CommandLine.Parse(["--overlay", "production", "--registry", registry!, "--host", "todo.example.org"]).ApplySettings(ImageTags.Of("v2"));
            var console = new StringWriter();
            var started = DateTime.UtcNow;

            var exit = await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console)).ApplyAsync(App, settings, kubeContext: null, confirmed: false);

            Assert.Equal(1, exit);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "stopped at the first look, not after the rollout's timeout");
            var printed = console.ToString();
            Assert.Contains($"deployment/mcpserver: pod mcpserver-7d9f-new cannot start (ImagePullBackOff) with image {image}", printed, StringComparison.Ordinal);
            Assert.Contains(cause, printed, StringComparison.Ordinal);
            Assert.Contains("The previous pods keep serving", printed, StringComparison.Ordinal);
            Assert.Contains("kubectl --context " + (overlay == "minikube" ? "dev" : "prod") + " -n phase4 get events --field-selector involvedObject.kind=Pod,involvedObject.name=mcpserver-7d9f-new -o jsonpath={range .items[*]}{.message}{\"\\n\"}{end}", tools.Commands);
            Assert.DoesNotContain(tools.Commands, command => command.Contains("rollout status deployment/frontend", StringComparison.Ordinal));
            Assert.Contains("\"dev.phase4/status\":\"failed\"", Assert.Single(tools.Releases).Value, StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The migrator runs the backend's image before any service rolls, so an image missing from Minikube shows there
    /// first; and a Secret a pod reads that is gone is <c>CreateContainerConfigError</c> with the kubelet's
    /// <c>secret "NAME" not found</c>.
    /// </summary>
    [Fact]
    public async Task A_migrator_or_service_pod_that_cannot_start_stops_apply_before_the_services_roll()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.JobConditions = "/";
        tools.Pods("migrator", PodList(("migrator-x2k9p", "phase4/backend:v3", "ErrImagePull",
            "failed to pull and unpack image \"docker.io/phase4/backend:v3\": failed to resolve reference \"docker.io/phase4/backend:v3\": pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")));
        var output = DeployCommandTests.CopyOfOutput();
        try
        {
            var console = new StringWriter();
            var exit = await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console))
                .ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("v3")), kubeContext: null, confirmed: false);

            Assert.Equal(1, exit);
            Assert.Contains("job/migrator: pod migrator-x2k9p cannot start (ErrImagePull) with image phase4/backend:v3: phase4/backend:v3 is not built into Minikube", console.ToString(), StringComparison.Ordinal);
            Assert.Contains("The services were not rolled", console.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("kubectl --context dev apply -f -", tools.Commands);
        }
        finally
        {
            output.Delete(recursive: true);
        }

        var problem = Assert.Single(PodProblems.Find(PodList(("backend-5c-abc", "phase4/backend:v3", "CreateContainerConfigError", "secret \"backend-secrets-8k2h\" not found"))));
        Assert.Contains("secret \"backend-secrets-8k2h\" not found", PodProblems.LikelyCause(problem, "", onMinikube: true, ownImage: true, registry: null), StringComparison.Ordinal);
    }

    /// <summary>A core/v1 PodList with one waiting container per pod.</summary>
    internal static string PodList(params (string Pod, string Image, string Reason, string Message)[] pods) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            kind = "PodList",
            apiVersion = "v1",
            items = pods.Select(pod => new
            {
                metadata = new { name = pod.Pod, @namespace = "phase4" },
                spec = new { containers = new[] { new { name = pod.Pod.Split('-')[0], image = pod.Image } } },
                status = new
                {
                    phase = "Pending",
                    containerStatuses = new[]
                    {
                        new
                        {
                            name = pod.Pod.Split('-')[0],
                            image = pod.Image,
                            imageID = "",
                            ready = false,
                            restartCount = 0,
                            started = false,
                            state = new { waiting = new { reason = pod.Reason, message = pod.Message } },
                        },
                    },
                },
            }),
        });
}
