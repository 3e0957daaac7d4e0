using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Verbs;

/// <summary><c>build</c>: the images, built and checked.</summary>
internal sealed partial class DeployVerbs
{
    private static readonly string[] LocalEngines = ["docker", "podman"];

    /// <summary>
    /// Builds every image. Without <c>--engine</c>: into Minikube when the kube context is a Minikube one (the images
    /// must be inside the cluster, never only in the host's Docker), else docker, else podman. Each image is labelled
    /// with its build-input digest and read back afterwards: the image now carrying the tag must be this build.
    /// </summary>
    public async Task<int> BuildAsync(KubernetesApp app, string? engine, string? kubeContext, ImageTags tags, string? registry, bool push)
    {
        var context = await KubeContext.FindAsync(tools, kubeContext);
        engine ??= context is { IsMinikube: true } ? ImageBuild.Minikube
            : LocalEngines.FirstOrDefault(tools.Exists)
            ?? throw new InvalidOperationException("No image builder: install docker or podman, or start Minikube (then build into it).");
        if (engine == ImageBuild.Minikube && push)
        {
            throw new ArgumentException("--push needs --engine docker or podman: minikube builds inside the cluster's node.");
        }

        var profile = engine == ImageBuild.Minikube && context is { IsMinikube: true } ? context.Name : null;
        var build = new ImageBuild(engine, profile, tags, registry, push)
        {
            MinikubeRuntime = engine == ImageBuild.Minikube && context is not null && !tools.DryRun ? await NodeRuntimeAsync(context) : "docker",
        };
        await Console.WriteLineAsync(engine == ImageBuild.Minikube
            ? $"Building into Minikube{(build.MinikubeProfile is null ? "" : $" (profile {build.MinikubeProfile})")}, container runtime {build.MinikubeRuntime}."
            : $"Building with {engine}.");
        foreach (var command in build.Commands(app))
        {
            await tools.RunAsync(command);
        }

        if (engine == ImageBuild.Minikube && await tools.ReadAsync(build.ListCommand()) is { } listed
            && build.Missing(app, listed) is { Count: > 0 } missing)
        {
            await Console.WriteLineAsync(
                $"minikube image build reported success but {string.Join(", ", missing)} is not in the cluster: the build failed. " +
                "Scroll up for the builder's error, or build with `eval $(minikube docker-env)` and --engine docker.");
            return 1;
        }

        foreach (var (workload, image) in build.Images(app))
        {
            if (tags.DigestOf(workload) is not { } digest || await tools.ReadAsync(build.LabelQuery(image)) is not { } inspected)
            {
                continue;
            }

            var label = build.LabelIn(inspected);
            if (label != digest)
            {
                await Console.WriteLineAsync(
                    $"{image} is not the image just built: it was built from other sources ({BuildInputs.DigestLabel}: {label ?? "none"}, expected {digest}). " +
                    "The build failed and left an older image under this tag; scroll up for the builder's error.");
                return 1;
            }
        }

        await Console.WriteLineAsync($"Images: {string.Join(", ", build.Images(app).Select(entry => entry.Image))}");
        var tagOption = tags.Fixed is { } fixedTag ? $" --tag {fixedTag}" : "";
        await Console.WriteLineAsync(registry is null
            ? $"Deploy them with: dotnet run --project Publisher -- apply{tagOption}"
            : $"Deploy them with: dotnet run --project Publisher -- apply --overlay production --registry {registry}{tagOption} --host <your host>");
        return 0;
    }

    /// <summary>docker, containerd or cri-o: the runtime of the context's node (docker when it cannot be read).</summary>
    private async Task<string> NodeRuntimeAsync(KubeContext context)
    {
        var version = (await tools.QueryAsync(DeployCommands.NodeRuntime(context)))?.Trim() ?? "";
        var scheme = version.Split("://")[0];
        return scheme.Length == 0 ? "docker" : scheme;
    }
}
