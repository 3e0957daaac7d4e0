using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// What <c>build</c> runs: one image per workload built here, named <c>[REGISTRY/]phase4/&lt;name&gt;:&lt;tag&gt;</c>, with
/// docker or podman from the repository root, or inside Minikube with <c>minikube image build</c>.
/// </summary>
internal sealed record ImageBuild(string Engine, string? MinikubeProfile, string Tag, string? Registry, bool Push)
{
    public const string Minikube = "minikube";

    public static readonly string[] Engines = ["docker", "podman", Minikube];

    /// <summary>One entry per image: workloads sharing an image (a service and its migrator) build it once.</summary>
    public IReadOnlyList<(KubernetesWorkload Workload, string Image)> Images(KubernetesApp app) =>
        app.Workloads.Where(w => w.Source.Image is BuiltImage).DistinctBy(w => w.ImageName).Select(w => (w, ImageName(w))).ToList();

    /// <summary>The image's full name: what <c>apply --registry --tag</c> pins.</summary>
    public string ImageName(KubernetesWorkload workload) => $"{Repository(Registry, workload)}:{Tag}";

    /// <summary>The repository an image is pushed to and pulled from: <c>REGISTRY/phase4/&lt;name&gt;</c>, or the bare name.</summary>
    public static string Repository(string? registry, KubernetesWorkload workload) =>
        registry is null ? workload.ImageName : $"{registry.TrimEnd('/')}/{workload.ImageName}";

    /// <summary>
    /// The build commands. docker and podman resolve <c>-f</c> against the working directory, which is the repository
    /// root (docker/cli cli/command/image/build/context.go GetContextFromLocalDir: "considered relative to the current
    /// directory and not the context directory"; podman-build(1) --file). <c>minikube image build</c> ships the context
    /// folder into the node and joins a relative <c>-f</c> to it (minikube pkg/minikube/machine/build_images.go
    /// transferAndBuildImage: <c>file = path.Join(context, file)</c>), so there the Dockerfile is relative to the context.
    /// </summary>
    public IReadOnlyList<string[]> Commands(KubernetesApp app)
    {
        var commands = new List<string[]>();
        foreach (var (workload, image) in Images(app))
        {
            var built = (BuiltImage)workload.Source.Image;
            commands.Add(Engine == Minikube
                ? [.. MinikubeCommand("image", "build"), "-t", image, "-f", built.Dockerfile, built.Context]
                : [Engine, "build", "-t", image, "-f", built.Context == "." ? built.Dockerfile : $"{built.Context}/{built.Dockerfile}", built.Context]);
        }

        if (Push)
        {
            // docker push / podman push NAME[:TAG] (docker-push(1), podman-push(1)).
            commands.AddRange(Images(app).Select(entry => new[] { Engine, "push", entry.Image }));
        }

        return commands;
    }

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

    private string[] MinikubeCommand(params string[] arguments) =>
        MinikubeProfile is null ? [Minikube, .. arguments] : [Minikube, "-p", MinikubeProfile, .. arguments];
}
