using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;
using Phase4.Publisher.Yaml;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Deploy;

/// <summary>The command lines of <c>build</c>, <c>apply</c> and <c>destroy</c>: what <c>--dry-run</c> prints and what runs.</summary>
internal static class DeployCommands
{
    /// <summary>Where <c>apply</c> writes the kustomization that pins image tags (git-ignored, under the output folder).</summary>
    public const string ApplyFolder = ".deploy";

    /// <summary>The claim of the StatefulSet's first pod: when it exists, the database already has its password.</summary>
    public static string DataClaim(KubernetesApp app) =>
        app.Workloads.Where(w => w.IsStateful).Select(w => $"{w.Source.Volumes[0].Name}-{w.Name}-0").First();

    public static IReadOnlyList<string[]> Build(KubernetesApp app, string engine, string tag) =>
        app.Workloads.Where(w => w.Source.Image is BuiltImage).Select(w =>
        {
            var built = (BuiltImage)w.Source.Image;
            var image = $"{built.Repository}:{tag}";
            var dockerfile = built.Context == "." ? built.Dockerfile : $"{built.Context}/{built.Dockerfile}";
            return engine == "minikube"
                ? new[] { "minikube", "image", "build", "-t", image, "-f", dockerfile, built.Context }
                : [engine, "build", "-t", image, "-f", dockerfile, built.Context];
        }).ToList();

    /// <summary>The kustomization <c>apply</c> writes: the overlay with every image at <paramref name="tag"/>.</summary>
    public static string TaggedKustomization(KubernetesApp app, string overlay, string tag) => YamlText.Write(Map(
        ("apiVersion", Text("kustomize.config.k8s.io/v1beta1")),
        ("kind", Text("Kustomization")),
        ("resources", Texts([$"../../overlays/{overlay}"])),
        ("images", List(app.Workloads.Where(w => w.Source.IsBuiltHere).Select(w => (YamlNode)Map(
            ("name", Text(overlay == "production" ? $"{KustomizeWriter.ProductionRegistry}/{w.ImageName}" : w.ImageName)),
            ("newTag", Text(tag))))))), ["Written by `Publisher apply`; not committed."]);

    public static IReadOnlyList<string[]> Apply(KubernetesApp app, string outputRelative, string overlay)
    {
        var commands = new List<string[]> { new[] { "kubectl", "apply", "-k", $"{outputRelative}/{ApplyFolder}/{overlay}" } };
        commands.AddRange(app.Workloads.Select(w => new[]
        {
            "kubectl", "-n", KubernetesApp.Namespace, "rollout", "status", $"{w.Kind.ToLowerInvariant()}/{w.Name}", "--timeout=5m",
        }));
        return commands;
    }

    public static string[] CheckForData(KubernetesApp app) =>
        ["kubectl", "-n", KubernetesApp.Namespace, "get", "pvc", DataClaim(app), "--ignore-not-found", "-o", "name"];

    /// <summary>How to find the app's URL: a command for Minikube, the Ingress host otherwise.</summary>
    public static string[] Url(KubernetesApp app, string overlay) => app.EntryPoint is not { } entry
        ? []
        : overlay == "minikube"
            ? ["minikube", "service", entry.Name, "-n", KubernetesApp.Namespace, "--url"]
            : [];

    /// <summary>
    /// Deletes what the publisher created, by its labels, which the PersistentVolumeClaims of the StatefulSet do not
    /// carry: the database volume stays. <paramref name="purge"/> deletes the namespace, volumes included.
    /// </summary>
    public static IReadOnlyList<string[]> Destroy(bool purge) => purge
        ? [["kubectl", "delete", "namespace", KubernetesApp.Namespace, "--ignore-not-found", "--wait=true"]]
        : [[
            "kubectl", "-n", KubernetesApp.Namespace, "delete",
            "ingress,horizontalpodautoscaler,poddisruptionbudget,deployment,statefulset,service,networkpolicy,configmap,secret",
            "-l", $"app.kubernetes.io/part-of={KubernetesApp.Instance}", "--ignore-not-found", "--wait=true",
        ]];
}
