using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Deploy;

/// <summary>The kubectl and minikube command lines of <c>apply</c> and <c>destroy</c>: what <c>--dry-run</c> prints and what runs.</summary>
internal static class DeployCommands
{
    /// <summary>Where <c>apply</c> writes the kustomization that pins images and hosts (git-ignored, under the output folder).</summary>
    public const string ApplyFolder = ApplyKustomization.Folder;

    /// <summary>
    /// The container runtime of the context's first node, e.g. <c>docker://28.4.0</c> or <c>containerd://1.7.27</c>
    /// (core/v1 NodeSystemInfo.containerRuntimeVersion: "ContainerRuntime Version reported by the node through runtime
    /// remote API (e.g. containerd://1.4.2)").
    /// </summary>
    public static string[] NodeRuntime(KubeContext context) =>
        context.Kubectl("get", "nodes", "-o", "jsonpath={.items[0].status.nodeInfo.containerRuntimeVersion}");

    /// <summary>
    /// The claims of a StatefulSet's first pod, named &lt;template&gt;-&lt;statefulset&gt;-&lt;ordinal&gt; by the StatefulSet
    /// controller: when one exists, its database already has its password.
    /// </summary>
    public static IEnumerable<string> DataClaims(KubernetesWorkload workload) =>
        workload.Source.Volumes.Select(volume => $"{volume.Name}-{workload.Name}-0");

    /// <summary>
    /// The cluster's IngressClasses as <c>NAME DEFAULT</c> lines, DEFAULT being the value of the annotation
    /// <c>ingressclass.kubernetes.io/is-default-class</c> (Kubernetes docs, Ingress, "Default IngressClass": an Ingress
    /// without <c>ingressClassName</c> gets the default class; with none, controllers may ignore it).
    /// </summary>
    public static string[] IngressClasses(KubeContext context) => context.Kubectl(
        "get", "ingressclass", "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.annotations.ingressclass\\.kubernetes\\.io/is-default-class}{\"\\n\"}{end}");

    /// <summary>
    /// <c>kubectl kustomize DIR</c>: the overlay rendered, printed to standard output (kubectl kustomize --help) and read
    /// into memory, so the dry run, the apply and the release record are the same bytes. They hold the Secrets, so they
    /// reach kubectl on standard input only (<c>-f -</c>: "cat pod.json | kubectl apply -f -", kubectl apply --help),
    /// never a file.
    /// </summary>
    public static string[] Render(string kustomization) => ["kubectl", "kustomize", kustomization];

    /// <summary>Whether the app's namespace exists: <c>kubectl get namespace NAME --ignore-not-found -o name</c>.</summary>
    public static string[] NamespaceQuery(KubeContext context) =>
        context.Kubectl("get", "namespace", context.Namespace, "--ignore-not-found", "-o", "name");

    /// <summary>
    /// Creates the namespace alone, with its Pod Security labels (the only object carrying
    /// <c>pod-security.kubernetes.io/enforce</c>; a bare key in <c>-l</c> selects objects that have the label, kubectl
    /// apply --help "-l … supports '=', '==', '!=', 'in', 'notin'" and existence), so the server can judge the rest:
    /// a server-side dry run creates nothing, and every namespaced object of a first deploy would be refused for a
    /// namespace that does not exist (kubernetes/kubernetes#83562).
    /// </summary>
    public static string[] CreateNamespace(KubeContext context) =>
        context.Kubectl("apply", "-f", "-", "-l", "pod-security.kubernetes.io/enforce");

    /// <summary>Removes the namespace the preflight created when the server refused the change: nothing is left behind.</summary>
    public static string[] DeleteNamespace(KubeContext context) =>
        context.Kubectl("delete", "namespace", context.Namespace, "--ignore-not-found", "--wait=false");

    /// <summary>
    /// The whole change as the API server would take it, persisting nothing: <c>--dry-run=server</c> ("submit
    /// server-side request without persisting the resource", kubectl apply --help) runs validation, defaulting,
    /// admission (Pod Security, quota) and the update rules (immutable fields: apps/validation ValidateStatefulSetUpdate),
    /// and <c>--server-side</c> makes the server merge the change with the live object (Kubernetes docs, "Server-Side
    /// Apply"); <c>--force-conflicts</c> takes fields another manager owns, as the client-side apply that follows does
    /// (it overwrites). kubectl validates fields strictly by default (<c>--validate=strict</c>: unknown fields are
    /// errors). <c>-n</c> places what names no namespace (<c>helm template</c>'s output) in the app's. The Jobs are left out: <c>apply</c> deletes and re-creates them (a Job's template is immutable), which a
    /// dry run cannot show.
    /// </summary>
    public static string[] Preflight(KubeContext context) => context.Kubectl(
        "-n", context.Namespace, "apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", "-", "-l", $"app.kubernetes.io/component notin ({JobComponent})");

    /// <summary>
    /// With external secrets, the ExternalSecrets first (selected by their component label, <see cref="ExternalSecrets.Component"/>),
    /// then a wait until the operator has written every Secret: <c>kubectl wait --for=condition=Ready</c> (kubectl wait
    /// --help: "Wait for a specific condition on one or many resources"; the ExternalSecret's condition type is
    /// <c>Ready</c>, external-secrets apis/externalsecrets/v1 ExternalSecretReady). A pod started before its Secret
    /// exists waits in <c>CreateContainerConfigError</c>, which the rollout watch reports as a missing Secret. The
    /// manifests come on standard input, as every apply's do.
    /// </summary>
    public static IReadOnlyList<string[]> ExternalSecretsFirst(KubeContext context) =>
    [
        context.Kubectl("apply", "-f", "-", "-l", ExternalSecretsSelector),
        context.Kubectl("-n", context.Namespace, "wait", "--for=condition=Ready", "externalsecrets.external-secrets.io", "-l", ExternalSecretsSelector, "--timeout=2m"),
    ];

    private const string ExternalSecretsSelector = $"app.kubernetes.io/part-of={KubernetesApp.Instance},app.kubernetes.io/component={ExternalSecrets.Component}";

    /// <summary>
    /// The Ingress an earlier apply created, once the HTTPRoute replacing it is applied: <c>kubectl apply</c> never
    /// deletes what the new manifests leave out, and the entry must not be served twice.
    /// </summary>
    public static string[] DeleteIngress(KubeContext context, KubernetesWorkload entry) =>
        context.Kubectl("-n", context.Namespace, "delete", "ingress", entry.Name, "--ignore-not-found", "--wait=true");

    /// <summary>The component label of the workloads that run to completion (<see cref="KubernetesWorkload.Component"/>).</summary>
    public const string JobComponent = "job";

    /// <summary>
    /// <c>kubectl apply -f -</c> (kubectl apply --help), then each workload's rollout, watched by <see cref="RolloutCheck"/>.
    /// </summary>
    public static string[] Apply(KubeContext context) => context.Kubectl("apply", "-f", "-");

    /// <summary>
    /// Before the services roll, the jobs run: the finished Job of the previous apply is deleted (a Job's pod template is
    /// immutable, so it cannot take the new image), then everything but the services is applied — <c>kubectl apply
    /// -l</c> filters the objects by label (kubectl apply --help: "-l, --selector … supports … 'notin'"; an object
    /// without the label matches <c>notin</c>), so the namespace, policies, database and jobs go first — and the database
    /// rolls out. <see cref="JobStatus"/> then tells when each job has finished.
    /// </summary>
    public static IReadOnlyList<string[]> BeforeJobs(KubernetesApp app, KubeContext context) =>
    [
        .. app.Workloads.Where(w => w.IsJob).Select(job => context.Kubectl("-n", context.Namespace, "delete", "job", job.Name, "--ignore-not-found", "--wait=true")),
        context.Kubectl("apply", "-f", "-", "-l", $"app.kubernetes.io/component notin ({string.Join(',', WaitingComponents(app))})"),
    ];

    /// <summary>
    /// The component labels of what waits for the jobs (<see cref="KubernetesWorkload.Component"/>): the services, and
    /// the workers when the app has any.
    /// </summary>
    private static IEnumerable<string> WaitingComponents(KubernetesApp app) =>
        new[] { WorkloadKind.Service, WorkloadKind.Worker }
            .Where(kind => kind == WorkloadKind.Service || app.Workloads.Any(w => w.Source.Kind == kind))
            .Select(kind => kind.Component());

    /// <summary>
    /// A job's <c>Complete</c> and <c>Failed</c> conditions as <c>True/</c>, <c>/True</c> or <c>/</c> (still running).
    /// <c>kubectl wait</c> cannot wait for either of two conditions (kubernetes/kubectl#1629: on a failed Job, waiting
    /// for <c>complete</c> runs to its timeout), so the publisher polls this.
    /// </summary>
    public static string[] JobStatus(KubeContext context, KubernetesWorkload job) => context.Kubectl(
        "-n", context.Namespace, "get", "job", job.Name,
        "-o", "jsonpath={.status.conditions[?(@.type==\"Complete\")].status}/{.status.conditions[?(@.type==\"Failed\")].status}");

    /// <summary>The last lines of a job's pod logs (<c>kubectl logs job/NAME</c> picks one of its pods).</summary>
    public static string[] JobLogs(KubeContext context, KubernetesWorkload job) =>
        context.Kubectl("-n", context.Namespace, "logs", $"job/{job.Name}", "--tail=40");

    /// <summary>
    /// One look at a rollout: <c>kubectl rollout status TYPE/NAME --watch=false</c> prints the status once and returns
    /// (kubectl rollout status --help: "--watch=false … Watch the status of the rollout until it's done"); kubectl's
    /// messages for a finished rollout are "deployment "NAME" successfully rolled out" and "statefulset rolling update
    /// complete …" (k8s.io/kubectl pkg/polymorphichelpers/rollout_status.go), and it fails once a Deployment exceeded
    /// its progress deadline. Polled with <see cref="Pods"/>, so a pod that cannot start stops the wait within seconds.
    /// </summary>
    public static string[] RolloutCheck(KubeContext context, KubernetesWorkload workload) =>
        context.Kubectl("-n", context.Namespace, "rollout", "status", $"{workload.Kind.ToLowerInvariant()}/{workload.Name}", "--watch=false");

    /// <summary>Whether <see cref="RolloutCheck"/>'s output says the rollout is complete.</summary>
    public static bool RolledOut(string status) =>
        status.Contains("successfully rolled out", StringComparison.Ordinal) || status.Contains("rolling update complete", StringComparison.Ordinal)
        || status.Contains("partitioned roll out complete", StringComparison.Ordinal);

    /// <summary>The pods of a workload (its selector labels; a Job's pods carry them too), as a core/v1 PodList.</summary>
    public static string[] Pods(KubeContext context, KubernetesWorkload workload) => context.Kubectl(
        "-n", context.Namespace, "get", "pods", "-l", string.Join(',', workload.SelectorLabels.Select(label => $"{label.Key}={label.Value}")), "-o", "json");

    /// <summary>
    /// The messages of a pod's events (<c>--field-selector involvedObject.name=POD</c>, kubectl get --help): the
    /// kubelet's <c>Failed to pull image "IMAGE": …</c> names the cause the back-off message leaves out.
    /// </summary>
    public static string[] PodEvents(KubeContext context, string pod) => context.Kubectl(
        "-n", context.Namespace, "get", "events", "--field-selector", $"involvedObject.kind=Pod,involvedObject.name={pod}",
        "-o", "jsonpath={range .items[*]}{.message}{\"\\n\"}{end}");

    /// <summary><c>kubectl get pvc NAME --ignore-not-found -o name</c>: the claim's name, or nothing when there is none.</summary>
    public static string[] CheckForData(KubeContext context, string claim) =>
        context.Kubectl("-n", context.Namespace, "get", "pvc", claim, "--ignore-not-found", "-o", "name");

    /// <summary>
    /// How to open the app, printed rather than run: <c>minikube service NAME -n NS --url</c> keeps running (it holds a
    /// tunnel) with the Docker driver on macOS and Windows (minikube service --help), so <c>apply</c> would never return.
    /// </summary>
    public static string? OpenHint(KubernetesApp app, KubeContext context, ApplySettings settings) => app.EntryPoint is not { } entry
        ? null
        : settings.Overlay == "minikube"
            ? $"minikube -p {context.Name} service {entry.Name} -n {context.Namespace} --url"
            : $"https://{settings.Host}";

    /// <summary>
    /// Deletes what the publisher created, by its labels, which the PersistentVolumeClaims of the StatefulSet do not
    /// carry: the database volume stays, and so do the workloads' Secrets (the generated values live only there, and the
    /// volume's database was initialised with them), as the chart keeps its Secret of generated values; the release
    /// records go. <paramref name="purge"/> deletes the namespace, volumes and Secrets included.
    /// <paramref name="customResources"/> are the custom kinds this output created (ExternalSecrets, whose Secrets the
    /// operator would otherwise write again; apply's HTTPRoute), named only then: kubectl refuses a kind whose CRD is not installed.
    /// </summary>
    public static IReadOnlyList<string[]> Destroy(KubeContext context, bool purge, IEnumerable<string>? customResources = null) => purge
        ? [context.Kubectl("delete", "namespace", context.Namespace, "--ignore-not-found", "--wait=true")]
        : [
            context.Kubectl(
                "-n", context.Namespace, "delete",
                string.Join(',', ["ingress,horizontalpodautoscaler,poddisruptionbudget,cronjob,deployment,statefulset,job,service,networkpolicy,configmap", .. customResources ?? []]),
                "-l", DestroySelector, "--ignore-not-found", "--wait=true"),
            context.Kubectl("-n", context.Namespace, "delete", "secret", "-l", ReleaseHistory.Selector, "--ignore-not-found", "--wait=true"),
        ];

    /// <summary>The Kustomize route's objects: the app's, managed by the publisher (a Helm release's carry <c>managed-by: Helm</c>).</summary>
    public const string DestroySelector = $"app.kubernetes.io/part-of={KubernetesApp.Instance},app.kubernetes.io/managed-by={KubernetesApp.ManagedBy}";
}
