using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;
using Phase4.Publisher.Verbs;
using k8s;
using k8s.Models;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The argument vectors of <c>build</c>, <c>apply</c> and <c>destroy</c>, each held to the documented semantics of the
/// tool it drives (cited at each test), and the verbs run end to end against the real kubectl's kubeconfig handling
/// with stand-ins for what needs a cluster or an engine (<see cref="StandInTools"/>).
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class DeployCommandTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    private KubernetesApp App => rendered.App;

    /// <summary>Images built here: the migrator runs the backend's, so there is one fewer than workloads built here.</summary>
    private int BuiltHere => App.Workloads.Where(w => w.Source.IsBuiltHere).Select(w => w.ImageName).Distinct().Count();

    /// <summary>
    /// docker and podman resolve a relative <c>-f</c> against the working directory, not the context (docker/cli
    /// cli/command/image/build/context.go GetContextFromLocalDir: "When using a local context directory, and the
    /// Dockerfile is specified with the -f/--file option then it is considered relative to the current directory and
    /// not the context directory"; podman-build(1) --file names a file path). The publisher runs them from the root.
    /// </summary>
    [Theory]
    [InlineData("docker")]
    [InlineData("podman")]
    public void Docker_and_podman_build_every_image_with_the_Dockerfile_named_from_the_repository_root(string engine)
    {
        var commands = new ImageBuild(engine, null, ImageTags.Of("0123abcd"), null, Push: false).Commands(App);

        Assert.Equal(BuiltHere, commands.Count);
        foreach (var command in commands)
        {
            Assert.Equal([engine, "build", "-t"], command[..3]);
            Assert.Matches("^phase4/[a-z]+:0123abcd$", command[3]);
            Assert.Equal("-f", command[4]);
            Assert.True(File.Exists(Path.Combine(Repository.Root, command[5])), $"{command[5]} from the repository root");
            Assert.True(Directory.Exists(Path.Combine(Repository.Root, command[6])), command[6]);
        }

        Assert.Contains(commands, command => command[5] == "Frontend/Dockerfile" && command[6] == "Frontend");
    }

    /// <summary>
    /// <c>minikube image build</c> tars the context, unpacks it in the node and joins a relative <c>-f</c> to it
    /// (minikube pkg/minikube/machine/build_images.go transferAndBuildImage: <c>file = path.Join(context, file)</c>;
    /// minikube docs, commands/image: <c>minikube image build PATH -f FILE -t TAG</c>, <c>-p</c> the profile).
    /// </summary>
    [Fact]
    public void Minikube_builds_every_image_with_the_Dockerfile_named_inside_its_context_and_the_profile_of_the_context()
    {
        var commands = new ImageBuild(ImageBuild.Minikube, "dev", ImageTags.Of("0123abcd"), null, Push: false).Commands(App);

        Assert.Equal(BuiltHere, commands.Count);
        foreach (var command in commands)
        {
            Assert.Equal(["minikube", "-p", "dev", "image", "build", "-t"], command[..6]);
            Assert.Equal("-f", command[7]);
            Assert.True(File.Exists(Path.Combine(Repository.Root, command[9], command[8])), $"{command[8]} inside the context {command[9]}");
        }

        Assert.Contains(commands, command => command[8] == "Dockerfile" && command[9] == "Frontend");
    }

    /// <summary><c>docker push NAME[:TAG]</c> / <c>podman push IMAGE</c> (docker-push(1), podman-push(1)).</summary>
    [Fact]
    public void With_a_registry_every_image_is_named_under_it_and_push_pushes_exactly_those()
    {
        var build = new ImageBuild("podman", null, ImageTags.Of("v1"), "registry.example.org/team", Push: true);
        var commands = build.Commands(App);

        var built = commands.Where(command => command[1] == "build").Select(command => command[3]).ToList();
        var pushed = commands.Where(command => command[1] == "push").Select(command => command[2]).ToList();
        Assert.Equal(BuiltHere, built.Count);
        Assert.All(built, image => Assert.Matches("^registry\\.example\\.org/team/phase4/[a-z]+:v1$", image));
        Assert.Equal(built, pushed);
        Assert.True(commands.ToList().FindLastIndex(c => c[1] == "build") < commands.ToList().FindIndex(c => c[1] == "push"), "every build before the first push");
    }

    /// <summary>
    /// minikube lists images fully qualified (cruntime/docker.go ListImages adds docker.io; containerd's CRI does the
    /// same); <c>build</c> checks its images are there because <c>minikube image build</c> exits 0 when the build failed
    /// (minikube issues #16576 and #12556: machine.BuildImage logs the failed nodes and returns nil).
    /// </summary>
    [Fact]
    public void The_minikube_image_list_check_finds_an_image_the_build_did_not_produce()
    {
        var build = new ImageBuild(ImageBuild.Minikube, null, ImageTags.Of("t1"), null, Push: false);
        Assert.Equal(["minikube", "image", "ls", "--format", "short"], build.ListCommand());

        var all = "docker.io/phase4/mcpserver:t1\ndocker.io/phase4/frontend:t1\ndocker.io/phase4/backend:t1\nregistry.k8s.io/pause:3.10\n";
        Assert.Empty(build.Missing(App, all));
        var withoutFrontend = "docker.io/phase4/backend:t1\ndocker.io/phase4/mcpserver:t1\ndocker.io/phase4/frontend:t0\n";
        Assert.Equal(["phase4/frontend:t1"], build.Missing(App, withoutFrontend));
    }

    [Fact]
    public async Task On_a_Minikube_context_build_builds_into_Minikube_never_the_hosts_engine_and_fails_when_an_image_is_missing()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var console = new StringWriter();
        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1"];

        var exit = await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, console))
            .BuildAsync(App, engine: null, kubeContext: null, ImageTags.Of("t1"), registry: null, push: false);

        Assert.Equal(1, exit);
        Assert.Equal(["kubectl --context dev get nodes -o jsonpath={.items[0].status.nodeInfo.containerRuntimeVersion}"], tools.Commands.Where(command => command.StartsWith("kubectl ", StringComparison.Ordinal)));
        Assert.All(tools.Commands.Where(command => !command.StartsWith("kubectl ", StringComparison.Ordinal)), command => Assert.StartsWith("minikube -p dev image ", command, StringComparison.Ordinal));
        Assert.Equal(BuiltHere, tools.Commands.Count(command => command.Contains(" image build ", StringComparison.Ordinal)));
        Assert.Contains("phase4/frontend:t1 is not in the cluster", console.ToString(), StringComparison.Ordinal);

        tools.MinikubeImages = ["docker.io/phase4/backend:t1", "docker.io/phase4/mcpserver:t1", "docker.io/phase4/frontend:t1"];
        Assert.Equal(0, await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, new StringWriter()))
            .BuildAsync(App, engine: null, kubeContext: null, ImageTags.Of("t1"), registry: null, push: false));
    }

    [Fact]
    public async Task On_another_context_build_uses_the_first_engine_on_the_path()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);

        var exit = await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, new StringWriter()))
            .BuildAsync(App, engine: null, kubeContext: null, ImageTags.Of("t1"), registry: null, push: false);

        Assert.Equal(0, exit);
        Assert.Equal(BuiltHere, tools.Commands.Count);
        Assert.All(tools.Commands, command => Assert.StartsWith("docker build -t phase4/", command, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apply_names_the_context_it_acts_on_and_refuses_the_minikube_overlay_on_another_unless_told_yes()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);
        var output = CopyOfOutput();
        try
        {
            var console = new StringWriter();
            var verbs = new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console));
            var before = Directory.EnumerateFileSystemEntries(output.FullName, "*", SearchOption.AllDirectories).Count();

            Assert.Equal(1, await verbs.ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: false));
            Assert.StartsWith($"Kubernetes context: {StandInTools.ClusterContext}\n", console.ToString(), StringComparison.Ordinal);
            Assert.Contains("is not a Minikube context", console.ToString(), StringComparison.Ordinal);
            Assert.Empty(tools.Commands);
            Assert.Equal(before, Directory.EnumerateFileSystemEntries(output.FullName, "*", SearchOption.AllDirectories).Count());

            Assert.Equal(0, await verbs.ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: true));
            Assert.All(tools.Commands, command => Assert.StartsWith($"kubectl --context {StandInTools.ClusterContext} ", command, StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>kubectl --context NAME</c> (kubectl options: "The name of the kubeconfig context to use") on every command;
    /// <c>kubectl kustomize DIR</c> once, then <c>kubectl apply -f FILE</c> of those bytes (kubectl apply --help);
    /// <c>kubectl rollout status TYPE/NAME --watch=false</c> (kubectl rollout status --help), looked at until done.
    /// The URL hint is printed, never run: <c>minikube service --url</c> does not return with the Docker driver on macOS
    /// and Windows (it holds a tunnel open; minikube docs, handbook/accessing).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Apply_on_Minikube_creates_the_secrets_applies_with_the_context_waits_for_every_rollout_and_prints_the_URL_command()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = CopyOfOutput();
        try
        {
            var (exit, printed) = await ApplyOnMinikubeAsync(tools, output);

            Assert.Equal(0, exit);
            var applied = Path.Combine(output.FullName, DeployCommands.ApplyFolder, "minikube");
            // The cluster's Secrets read back, then asked of the API server, recorded as a pending release, then the
            // migrator's Job (its previous run deleted: a Job's template is immutable) with everything but the services,
            // then the services roll.
            string[] expected = [SecretQuery("dev"), $"kubectl --context dev -n phase4 get pvc postgres-data-postgres-0 --ignore-not-found -o name", .. ExpectedApply(App, "dev", applied, revision: 1)];
            Assert.Equal(expected, tools.Commands);
            Assert.Contains("Open the app: minikube -p dev service frontend -n phase4 --url", printed, StringComparison.Ordinal);
            Assert.Contains($"create Secret postgres-secrets (in the cluster): POSTGRES_PASSWORD", printed, StringComparison.Ordinal);
            // The env files the secretGenerators read existed, owner-only, while Kustomize ran, and are gone.
            Assert.Equal(SecretFiles.Paths(App).Order(), tools.TransientFiles.Select(line => string.Join('/', line.Split('/')[^2..])).Order());
            Assert.All(tools.TransientFiles, line => Assert.StartsWith("600 ", line, StringComparison.Ordinal));
            Assert.All(SecretFiles.Paths(App), path => Assert.False(File.Exists(Path.Combine(output.FullName, path))));

            var images = RenderedImages(tools.Inputs.Last(entry => entry.Command == "kubectl --context dev apply -f -").Input);
            Assert.Equal("phase4/backend:t1", images["backend"]);
            Assert.Equal("docker.io/library/postgres:18.3", images["postgres"]);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task When_the_migrator_fails_apply_rolls_no_service_and_shows_the_migrators_logs()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.JobConditions = "/True";
        var output = CopyOfOutput();
        try
        {
            var (exit, printed) = await ApplyOnMinikubeAsync(tools, output);

            Assert.Equal(1, exit);
            Assert.Contains("job/migrator failed; the services were not rolled", printed, StringComparison.Ordinal);
            Assert.Contains("the database refused the owner's password", printed, StringComparison.Ordinal);
            Assert.Single(tools.Commands, command => command.Contains(" apply -f ", StringComparison.Ordinal));
            Assert.Contains("kubectl --context dev -n phase4 label secret phase4-release-v1 dev.phase4/status=failed --overwrite", tools.Commands);
            Assert.DoesNotContain(tools.Commands, command => command.Contains("rollout status deployment/", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Apply_to_production_pins_the_registry_images_the_host_everywhere_it_belongs_and_the_storage_class()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);
        var output = CopyOfOutput();
        try
        {
            var settings = CommandLine.Parse(["--overlay", "production", "--registry", "registry.example.org/team", "--host", "todo.example.org",
                "--tls-secret", "todo-tls", "--ingress-class", "nginx", "--storage-class", "fast-ssd"]).ApplySettings(ImageTags.Of("v7"));
            var console = new StringWriter();
            Assert.Equal(0, await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console))
                .ApplyAsync(App, settings, kubeContext: null, confirmed: false));

            var objects = KubernetesYaml.LoadAllFromString(tools.Inputs.Last(entry => entry.Command == "kubectl --context prod apply -f -").Input, null, strict: true);
            var workloads = objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
                .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template))).ToList();
            foreach (var (name, template) in workloads)
            {
                var image = template.Spec.Containers.Single().Image;
                Assert.DoesNotContain($":{KubernetesApp.PlaceholderTag}", image, StringComparison.Ordinal);
                Assert.Equal(name == "postgres" ? "docker.io/library/postgres:18.3" : $"registry.example.org/team/phase4/{name}:v7", image);
            }

            var ingress = Assert.Single(objects.OfType<V1Ingress>());
            Assert.Equal("todo.example.org", Assert.Single(ingress.Spec.Rules).Host);
            Assert.Equal(["todo.example.org"], Assert.Single(ingress.Spec.Tls).Hosts);
            Assert.Equal("todo-tls", ingress.Spec.Tls[0].SecretName);
            Assert.Equal("nginx", ingress.Spec.IngressClassName);
            var mcpSettings = objects.OfType<V1ConfigMap>().Single(map => map.Metadata.Name.StartsWith("mcpserver-env-", StringComparison.Ordinal)).Data;
            Assert.Equal("https://todo.example.org", mcpSettings["Mcp__AllowedOrigins"]);
            Assert.Equal("fast-ssd", objects.OfType<V1StatefulSet>().Single().Spec.VolumeClaimTemplates.Single().Spec.StorageClassName);
            // The backups' claim too (issue 23, point 8: --storage-class used to reach the database's volume only).
            Assert.Equal("fast-ssd", objects.OfType<V1PersistentVolumeClaim>().Single(claim => claim.Metadata.Name == DatabaseBackup.ClaimName).Spec.StorageClassName);
            Assert.Contains("Open the app: https://todo.example.org", console.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// An Ingress without <c>ingressClassName</c> is left to the cluster's default IngressClass (Kubernetes docs,
    /// Ingress, "Default IngressClass"; the annotation <c>ingressclass.kubernetes.io/is-default-class</c>); without one it
    /// is ignored. apply asks (<c>kubectl get ingressclass</c>) and stops, naming the classes, before changing anything.
    /// </summary>
    [Fact]
    public async Task Without_a_default_IngressClass_production_apply_stops_naming_the_classes_unless_one_is_given()
    {
        using var tools = new StandInTools(StandInTools.ClusterContext);
        tools.IngressClasses = "nginx false\ntraefik\n";
        var output = CopyOfOutput();
        try
        {
            string[] production = ["--overlay", "production", "--registry", "registry.example.org", "--host", "todo.example.org"];
            var console = new StringWriter();
            var verbs = new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console));

            Assert.Equal(1, await verbs.ApplyAsync(App, CommandLine.Parse(production).ApplySettings(ImageTags.Of("v1")), kubeContext: null, confirmed: false));
            Assert.Contains("no default IngressClass", console.ToString(), StringComparison.Ordinal);
            Assert.Contains("one of nginx, traefik", console.ToString(), StringComparison.Ordinal);
            Assert.Equal(["kubectl --context prod get ingressclass -o jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}{\"\\n\"}{end}"], tools.Commands);

            Assert.Equal(0, await verbs.ApplyAsync(App, CommandLine.Parse([.. production, "--ingress-class", "traefik"]).ApplySettings(ImageTags.Of("v1")), kubeContext: null, confirmed: false));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--overlay production --host todo.example.org")]
    [InlineData("--overlay production --registry registry.example.org")]
    [InlineData("--host todo.example.org")]
    public void Production_needs_a_registry_and_a_host_and_only_production_takes_a_host(string arguments) =>
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(arguments.Split(' ')).ApplySettings(ImageTags.Of("v1")));

    [Theory]
    [InlineData("--registry", "https://registry.example.org")]
    [InlineData("--registry", "registry.example.org/team:v1")]
    [InlineData("--tag", "v1/x")]
    [InlineData("--host", "https://todo.example.org")]
    [InlineData("--storage-class", "Fast_SSD")]
    public void Malformed_names_are_refused_naming_the_option(string option, string value) =>
        Assert.Contains(option, Assert.Throws<ArgumentException>(() => CommandLine.Parse([option, value])).Message, StringComparison.Ordinal);

    [Fact]
    public void Push_needs_a_registry() =>
        Assert.Throws<ArgumentException>(() => CommandLine.Parse(["--push"]));

    [Fact]
    public async Task With_the_database_volume_present_apply_refuses_to_create_a_new_database_password_and_writes_nothing()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.ExistingClaim = "persistentvolumeclaim/postgres-data-postgres-0";
        var output = CopyOfOutput();
        try
        {
            var (exit, printed) = await ApplyOnMinikubeAsync(tools, output);

            Assert.Equal(1, exit);
            Assert.Contains("persistentvolumeclaim/postgres-data-postgres-0 exists, but the cluster's Secrets no longer hold postgres-password", printed, StringComparison.Ordinal);
            Assert.Contains("`secrets import FILE --identity KEY`", printed, StringComparison.Ordinal);
            Assert.Contains("`destroy --purge`", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(tools.Commands, command => command.Contains(" apply ", StringComparison.Ordinal) || command.Contains(" kustomize ", StringComparison.Ordinal));
            Assert.Empty(tools.TransientFiles);
            Assert.All(SecretFiles.Paths(App), path => Assert.False(File.Exists(Path.Combine(output.FullName, path))));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dry_run_prints_the_commands_with_the_context_and_changes_nothing()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var output = Directory.CreateTempSubdirectory("phase4-apply-");
        try
        {
            var console = new StringWriter();
            await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: true, console))
                .ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("abc123")), kubeContext: StandInTools.ClusterContext, confirmed: true);

            var lines = console.ToString().Split('\n');
            Assert.Equal("Kubernetes context: prod", lines[0]);
            Assert.Contains("$ kubectl --context prod -n phase4 get pvc postgres-data-postgres-0 --ignore-not-found -o name", lines);
            Assert.Contains("$ kubectl --context prod -n phase4 rollout status statefulset/postgres --watch=false", lines);
            Assert.Contains($"$ kubectl --context prod -n phase4 get secret -l {DeployCommands.DestroySelector},app.kubernetes.io/component!=release -o json", lines);
            Assert.Contains($"$ kubectl kustomize {Repository.Relative(Path.Combine(output.FullName, DeployCommands.ApplyFolder, "minikube"))}", lines);
            Assert.Contains("$ kubectl --context prod apply -f -  # standard input: the rendered manifests", lines);
            Assert.Empty(tools.Commands);
            Assert.Empty(Directory.EnumerateFileSystemEntries(output.FullName));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// <c>kubectl delete TYPE,TYPE -l SELECTOR --ignore-not-found --wait=true</c> (kubectl delete --help); a
    /// StatefulSet's claims carry no labels of the pod template, so the data stays (Kubernetes docs, StatefulSet:
    /// "Deleting and/or scaling a StatefulSet down will not delete the volumes associated with the StatefulSet").
    /// </summary>
    [Fact]
    public void Destroy_deletes_everything_labelled_on_the_context_but_the_database_claim_and_the_Secrets_unless_purged()
    {
        var context = new KubeContext("prod", IsMinikube: false);
        var commands = DeployCommands.Destroy(context, purge: false);
        Assert.Equal(2, commands.Count);
        var destroy = commands[0];
        Assert.Equal(["kubectl", "--context", "prod", "-n", "phase4", "delete"], destroy[..6]);
        var kinds = destroy[6];
        Assert.DoesNotContain("persistentvolumeclaim", kinds, StringComparison.Ordinal);
        Assert.DoesNotContain("namespace", kinds, StringComparison.Ordinal);
        var selector = destroy[Array.IndexOf(destroy, "-l") + 1].Split(',').Select(label => label.Split('=')).ToList();
        Assert.Equal([["app.kubernetes.io/part-of", "phase4"], ["app.kubernetes.io/managed-by", KubernetesApp.ManagedBy]], selector);

        // Every object destroy must find carries the labels (a Helm release's objects are managed-by Helm: not these);
        // the StatefulSet's claims (the data) do not.
        // The workloads' Secrets are kept: the generated values live only there, and the kept volume's database was
        // created with them (the next apply reads them back). The release records go (their component's selector).
        foreach (var item in rendered.Objects(RenderedKubernetesFixture.Base).OfType<IKubernetesObject<V1ObjectMeta>>().Where(item => item is not V1Namespace))
        {
            Assert.All(selector, label => Assert.True(item.Metadata.Labels is { } labels && labels.TryGetValue(label[0], out var value) && value == label[1], $"{item.Kind} {item.Metadata.Name} lacks {label[0]}"));
            Assert.Equal(item is not V1Secret, kinds.Split(',').Contains(item.Kind.ToLowerInvariant()));
        }

        Assert.Equal(["kubectl", "--context", "prod", "-n", "phase4", "delete", "secret", "-l", ReleaseHistory.Selector, "--ignore-not-found", "--wait=true"], commands[1]);

        var claim = Assert.Single(rendered.Named<V1StatefulSet>(RenderedKubernetesFixture.Base, "postgres").Spec.VolumeClaimTemplates);
        Assert.Null(claim.Metadata.Labels);

        Assert.Equal(["kubectl", "--context", "prod", "delete", "namespace", "phase4"], Assert.Single(DeployCommands.Destroy(context, purge: true))[..6]);
    }

    /// <summary>
    /// The kubectl commands of a successful apply of the manifests rendered into <paramref name="applyFolder"/> on a context
    /// whose namespace exists (the claim check before them aside): the server-side dry run, the release record, the jobs
    /// before the services, each rollout looked at once (done at the first look on the stand-ins), the record marked.
    /// </summary>
    internal static IReadOnlyList<string> ExpectedApply(KubernetesApp app, string context, string applyFolder, int revision)
    {
        Assert.True(Path.IsPathRooted(applyFolder));
        var ns = app.Namespace;
        return
        [
            $"kubectl --context {context} get namespace {ns} --ignore-not-found -o name",
            $"kubectl --context {context} -n {ns} apply --server-side --force-conflicts --dry-run=server -f - -l app.kubernetes.io/component notin (job)",
            $"kubectl --context {context} -n {ns} get secret -l {ReleaseHistory.Selector} -o json",
            $"kubectl --context {context} create -f -",
            $"kubectl --context {context} -n {ns} delete job migrator --ignore-not-found --wait=true",
            $"kubectl --context {context} apply -f - -l app.kubernetes.io/component notin (service)",
            $"kubectl --context {context} -n {ns} rollout status statefulset/postgres --watch=false",
            $"kubectl --context {context} -n {ns} get job migrator -o jsonpath={{.status.conditions[?(@.type==\"Complete\")].status}}/{{.status.conditions[?(@.type==\"Failed\")].status}}",
            $"kubectl --context {context} apply -f -",
            .. app.Workloads.Where(w => !w.IsJob).Select(w => $"kubectl --context {context} -n {ns} rollout status {w.Kind.ToLowerInvariant()}/{w.Name} --watch=false"),
            $"kubectl --context {context} -n {ns} label secret phase4-release-v{revision} dev.phase4/status=deployed --overwrite",
        ];
    }

    /// <summary><c>apply</c> with the minikube overlay and tag t1 on the stand-in tools: its exit code and what it printed.</summary>
    private async Task<(int Exit, string Printed)> ApplyOnMinikubeAsync(StandInTools tools, DirectoryInfo output)
    {
        var console = new StringWriter();
        var exit = await new DeployVerbs(Repository, output.FullName, tools.Runner(dryRun: false, console))
            .ApplyAsync(App, new ApplySettings("minikube", ImageTags.Of("t1")), kubeContext: null, confirmed: false);
        return (exit, console.ToString());
    }

    /// <summary>A scratch copy of the committed output (its YAML only: secret files of a developer's deployment stay out).</summary>
    internal static DirectoryInfo CopyOfOutput()
    {
        var scratch = Directory.CreateTempSubdirectory("phase4-output-");
        foreach (var file in Directory.EnumerateFiles(Repository.DefaultOutputFolder, "*.yaml", SearchOption.AllDirectories)
            .Where(file => !Path.GetRelativePath(Repository.DefaultOutputFolder, file).StartsWith('.')))
        {
            var target = Path.Combine(scratch.FullName, Path.GetRelativePath(Repository.DefaultOutputFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return scratch;
    }

    /// <summary>
    /// The app's Secrets as the cluster holds them: <c>kubectl get secret -l …,component!=release -o json</c> (kubectl get
    /// --help: "-l, --selector … supports '=', '==', '!=', 'in', 'notin'").
    /// </summary>
    internal static string SecretQuery(string context, string @namespace = KubernetesApp.DefaultNamespace) =>
        $"kubectl --context {context} -n {@namespace} get secret -l {DeployCommands.DestroySelector},app.kubernetes.io/component!=release -o json";

    private static Dictionary<string, string> RenderedImages(string manifests)
    {
        var objects = KubernetesYaml.LoadAllFromString(manifests, null, strict: true);
        return objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template))
            .Concat(objects.OfType<V1StatefulSet>().Select(s => (s.Metadata.Name, s.Spec.Template)))
            .ToDictionary(entry => entry.Name, entry => entry.Template.Spec.Containers.Single().Image);
    }
}
