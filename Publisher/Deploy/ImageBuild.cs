using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// What <c>build</c> runs: one image per workload built here, named <c>[REGISTRY/]phase4/&lt;name&gt;:&lt;tag&gt;</c>, with
/// docker or podman from the repository root, or inside Minikube with <c>minikube image build</c>. Each image carries
/// its build-input digest as a label (<see cref="BuildInputs.DigestLabel"/>), read back after the build.
/// </summary>
internal sealed record ImageBuild(string Engine, string? MinikubeProfile, ImageTags Tags, string? Registry, bool Push)
{
    public const string Minikube = "minikube";

    public static readonly string[] Engines = ["docker", "podman", Minikube];

    /// <summary>The container runtime of the Minikube node (<c>minikube start --container-runtime</c>; docker by default).</summary>
    public string MinikubeRuntime { get; init; } = "docker";

    /// <summary>One entry per image: workloads sharing an image (a service and its migrator) build it once.</summary>
    public IReadOnlyList<(KubernetesWorkload Workload, string Image)> Images(KubernetesApp app) =>
        app.Workloads.Where(w => w.Source.Image is BuiltImage).DistinctBy(w => w.ImageName).Select(w => (w, ImageName(w))).ToList();

    /// <summary>The image's full name: what <c>apply --registry</c> pins.</summary>
    public string ImageName(KubernetesWorkload workload) => $"{Repository(Registry, workload)}:{Tags.TagOf(workload)}";

    /// <summary>The repository an image is pushed to and pulled from: <c>REGISTRY/phase4/&lt;name&gt;</c>, or the bare name.</summary>
    public static string Repository(string? registry, KubernetesWorkload workload) =>
        registry is null ? workload.ImageName : $"{registry.TrimEnd('/')}/{workload.ImageName}";

    /// <summary>
    /// The build commands. docker and podman resolve <c>-f</c> against the working directory, which is the repository
    /// root (docker/cli cli/command/image/build/context.go GetContextFromLocalDir: "considered relative to the current
    /// directory and not the context directory"; podman-build(1) --file), and take <c>--label KEY=VALUE</c>
    /// (docker-build(1), podman-build(1)). <c>minikube image build</c> ships the context folder into the node and joins
    /// a relative <c>-f</c> to it (minikube pkg/minikube/machine/build_images.go transferAndBuildImage:
    /// <c>file = path.Join(context, file)</c>); each <c>--build-opt=OPT</c> becomes <c>--OPT</c> on the node's builder
    /// (pkg/minikube/cruntime/docker.go BuildImage: <c>docker build … "--"+opt</c>; containerd.go: <c>buildctl build …
    /// "--"+opt</c>), so the label is <c>label=K=V</c> for docker and <c>opt=label:K=V</c> for BuildKit's dockerfile
    /// frontend (moby/buildkit frontend/dockerui: labels are the frontend options <c>label:NAME</c>).
    /// </summary>
    public IReadOnlyList<string[]> Commands(KubernetesApp app)
    {
        var commands = new List<string[]>();
        foreach (var (workload, image) in Images(app))
        {
            var built = (BuiltImage)workload.Source.Image;
            var digest = Tags.DigestOf(workload);
            commands.Add(Engine == Minikube
                ? [.. MinikubeCommand("image", "build"), "-t", image, "-f", built.Dockerfile, .. MinikubeLabel(digest), built.Context]
                : [Engine, "build", "-t", image, "-f", built.Context == "." ? built.Dockerfile : $"{built.Context}/{built.Dockerfile}",
                    .. digest is null ? Array.Empty<string>() : ["--label", $"{BuildInputs.DigestLabel}={digest}"], built.Context]);
        }

        if (Push)
        {
            // docker push / podman push NAME[:TAG] (docker-push(1), podman-push(1)).
            commands.AddRange(Images(app).Select(entry => new[] { Engine, "push", entry.Image }));
        }

        return commands;
    }

    private string[] MinikubeLabel(string? digest) => digest is null ? []
        : MinikubeRuntime == "docker" ? [$"--build-opt=label={BuildInputs.DigestLabel}={digest}"]
        : [$"--build-opt=opt=label:{BuildInputs.DigestLabel}={digest}"];

    /// <summary>
    /// <c>minikube image ls</c>: the images in the cluster, one per line, fully qualified (<c>--format short</c>, the
    /// default; minikube cmd/minikube/cmd/image.go). Run after building because <c>minikube image build</c> exits 0 even
    /// when the build failed (minikube issues #16576 and #12556: BuildImage logs failed nodes and returns nil).
    /// </summary>
    public string[] ListCommand() => [.. MinikubeCommand("image", "ls"), "--format", "short"];

    /// <summary>The images <paramref name="listed"/> (the output of <see cref="ListCommand"/>) lacks.</summary>
    public IReadOnlyList<string> Missing(KubernetesApp app, string listed)
    {
        var present = listed.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ImageReference.Normalize)
            .ToHashSet(StringComparer.Ordinal);
        return Images(app).Select(entry => entry.Image).Where(image => !present.Contains(ImageReference.Normalize(image))).ToList();
    }

    /// <summary>
    /// The command that prints what the image now carrying <paramref name="image"/>'s name was built from: docker's and
    /// podman's <c>image inspect --format</c> with a Go template (docker-image-inspect(1), podman-image-inspect(1));
    /// inside Minikube, through <c>minikube ssh --</c> (minikube docs, commands/ssh), the node's <c>docker image
    /// inspect</c> (JSON, <c>.[0].Config.Labels</c>) or, for containerd and CRI-O, <c>crictl inspecti</c> (JSON,
    /// <c>.info.imageSpec.config.Labels</c>: the OCI image config, kubernetes-sigs/cri-tools cmd/crictl/image.go).
    /// </summary>
    public string[] LabelQuery(string image) => Engine != Minikube
        ? [Engine, "image", "inspect", "--format", $"{{{{ index .Config.Labels \"{BuildInputs.DigestLabel}\" }}}}", image]
        : MinikubeRuntime == "docker"
            ? [.. MinikubeCommand("ssh", "--"), "docker", "image", "inspect", image]
            : [.. MinikubeCommand("ssh", "--"), "sudo", "crictl", "inspecti", image];

    /// <summary>The digest label in the output of <see cref="LabelQuery"/>, or null when it has none.</summary>
    public string? LabelIn(string output)
    {
        if (Engine != Minikube)
        {
            var value = output.Trim();
            return value.Length == 0 || value == "<no value>" ? null : value;
        }

        var json = JsonNode.Parse(output);
        var labels = MinikubeRuntime == "docker" ? json?[0]?["Config"]?["Labels"] : json?["info"]?["imageSpec"]?["config"]?["Labels"];
        return labels?[BuildInputs.DigestLabel]?.GetValue<string>();
    }

    private string[] MinikubeCommand(params string[] arguments) =>
        MinikubeProfile is null ? [Minikube, .. arguments] : [Minikube, "-p", MinikubeProfile, .. arguments];
}
