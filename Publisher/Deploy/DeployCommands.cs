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
        .. app.Workloads.Where(w => !w.IsJob && !w.IsExternal).Select(w => RolloutStatus(context, w)),
    ];

    /// <summary>
    /// Before the services roll, the jobs run: the finished Job of the previous apply is deleted (a Job's pod template is
    /// immutable, so it cannot take the new image), then everything but the services is applied — <c>kubectl apply
    /// -l</c> filters a kustomization's objects by label (kubectl apply --help: "-l, --selector … supports … 'notin'";
    /// an object without the label matches <c>notin</c>), so the namespace, policies, database and jobs go first — and
    /// the database rolls out. <see cref="JobStatus"/> then tells when each job has finished.
    /// </summary>
    public static IReadOnlyList<string[]> BeforeJobs(KubernetesApp app, KubeContext context, string kustomization) =>
    [
        .. app.Workloads.Where(w => w.IsJob).Select(job => context.Kubectl("-n", KubernetesApp.Namespace, "delete", "job", job.Name, "--ignore-not-found", "--wait=true")),
        context.Kubectl("apply", "-k", kustomization, "-l", $"app.kubernetes.io/component notin ({ServiceComponent})"),
        .. app.Workloads.Where(w => w.IsStateful && !w.IsExternal).Select(w => RolloutStatus(context, w)),
    ];

    /// <summary>The component label of the services that wait for the jobs (<see cref="KubernetesWorkload.Component"/>).</summary>
    public const string ServiceComponent = "service";

    /// <summary>
    /// A job's <c>Complete</c> and <c>Failed</c> conditions as <c>True/</c>, <c>/True</c> or <c>/</c> (still running).
    /// <c>kubectl wait</c> cannot wait for either of two conditions (kubernetes/kubectl#1629: on a failed Job, waiting
    /// for <c>complete</c> runs to its timeout), so the publisher polls this.
    /// </summary>
    public static string[] JobStatus(KubeContext context, KubernetesWorkload job) => context.Kubectl(
        "-n", KubernetesApp.Namespace, "get", "job", job.Name,
        "-o", "jsonpath={.status.conditions[?(@.type==\"Complete\")].status}/{.status.conditions[?(@.type==\"Failed\")].status}");

    /// <summary>The last lines of a job's pod logs (<c>kubectl logs job/NAME</c> picks one of its pods).</summary>
    public static string[] JobLogs(KubeContext context, KubernetesWorkload job) =>
        context.Kubectl("-n", KubernetesApp.Namespace, "logs", $"job/{job.Name}", "--tail=40");

    private static string[] RolloutStatus(KubeContext context, KubernetesWorkload workload) =>
        context.Kubectl("-n", KubernetesApp.Namespace, "rollout", "status", $"{workload.Kind.ToLowerInvariant()}/{workload.Name}", "--timeout=5m");

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
            "ingress,horizontalpodautoscaler,poddisruptionbudget,cronjob,deployment,statefulset,job,service,networkpolicy,configmap,secret",
            "-l", $"app.kubernetes.io/part-of={KubernetesApp.Instance}", "--ignore-not-found", "--wait=true")];
}
