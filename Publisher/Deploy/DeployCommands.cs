using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Deploy;

/// <summary>The kubectl and minikube command lines of <c>apply</c> and <c>destroy</c>: what <c>--dry-run</c> prints and what runs.</summary>
internal static class DeployCommands
{
    /// <summary>Where <c>apply</c> writes the kustomization that pins images and hosts (git-ignored, under the output folder).</summary>
    public const string ApplyFolder = ApplyKustomization.Folder;

    /// <summary>
    /// The claims of a StatefulSet's first pod, named &lt;template&gt;-&lt;statefulset&gt;-&lt;ordinal&gt; by the StatefulSet
    /// controller: when one exists, its database already has its password.
    /// </summary>
    public static IEnumerable<string> DataClaims(KubernetesWorkload workload) =>
        workload.Source.Volumes.Select(volume => $"{volume.Name}-{workload.Name}-0");

    /// <summary>
    /// <c>kubectl apply -k DIR</c> (kubectl apply --help: "-k, --kustomize='': Process a kustomization directory"), then
    /// <c>kubectl rollout status KIND/NAME --timeout=5m</c> for each workload, which returns once the rollout finished
    /// or fails when the timeout passes (kubectl rollout status --help).
    /// </summary>
    public static IReadOnlyList<string[]> Apply(KubernetesApp app, KubeContext context, string kustomization) =>
    [
        context.Kubectl("apply", "-k", kustomization),
        .. app.Workloads.Select(w => context.Kubectl("-n", KubernetesApp.Namespace, "rollout", "status", $"{w.Kind.ToLowerInvariant()}/{w.Name}", "--timeout=5m")),
    ];

    /// <summary><c>kubectl get pvc NAME --ignore-not-found -o name</c>: the claim's name, or nothing when there is none.</summary>
    public static string[] CheckForData(KubeContext context, string claim) =>
        context.Kubectl("-n", KubernetesApp.Namespace, "get", "pvc", claim, "--ignore-not-found", "-o", "name");

    /// <summary>
    /// How to open the app, printed rather than run: <c>minikube service NAME -n NS --url</c> keeps running (it holds a
    /// tunnel) with the Docker driver on macOS and Windows (minikube service --help), so <c>apply</c> would never return.
    /// </summary>
    public static string? OpenHint(KubernetesApp app, KubeContext context, ApplySettings settings) => app.EntryPoint is not { } entry
        ? null
        : settings.Overlay == "minikube"
            ? $"minikube -p {context.Name} service {entry.Name} -n {KubernetesApp.Namespace} --url"
            : $"https://{settings.Host}";

    /// <summary>
    /// Deletes what the publisher created, by its labels, which the PersistentVolumeClaims of the StatefulSet do not
    /// carry: the database volume stays. <paramref name="purge"/> deletes the namespace, volumes included.
    /// </summary>
    public static IReadOnlyList<string[]> Destroy(KubeContext context, bool purge) => purge
        ? [context.Kubectl("delete", "namespace", KubernetesApp.Namespace, "--ignore-not-found", "--wait=true")]
        : [context.Kubectl(
            "-n", KubernetesApp.Namespace, "delete",
            "ingress,horizontalpodautoscaler,poddisruptionbudget,deployment,statefulset,service,networkpolicy,configmap,secret",
            "-l", $"app.kubernetes.io/part-of={KubernetesApp.Instance}", "--ignore-not-found", "--wait=true")];
}
