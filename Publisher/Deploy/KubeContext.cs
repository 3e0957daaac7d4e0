namespace Phase4.Publisher.Deploy;

/// <summary>
/// The kubeconfig context a verb acts on: the one named by <c>--kube-context</c>, else kubectl's current context.
/// A Minikube context is recognised by the extension Minikube writes into the kubeconfig for every profile it starts
/// (provider <c>minikube.sigs.k8s.io</c>, minikube's pkg/minikube/kubeconfig/extension.go); the context's name is then
/// the Minikube profile's. <see cref="Namespace"/> is the app's namespace there (as a kubeconfig context has one):
/// every command and hint names it.
/// </summary>
internal sealed record KubeContext(string Name, bool IsMinikube)
{
    public const string MinikubeProvider = "minikube.sigs.k8s.io";

    /// <summary>The namespace the output was generated for (<c>generate --namespace</c>; default phase4).</summary>
    public string Namespace { get; init; } = Kubernetes.KubernetesApp.DefaultNamespace;

    /// <summary>Reads the kubeconfig with kubectl (<c>kubectl config current-context</c>, <c>config view</c>); null without a context.</summary>
    public static async Task<KubeContext?> FindAsync(ToolRunner tools, string? requested)
    {
        var name = requested ?? (await tools.QueryAsync(["kubectl", "config", "current-context"]))?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        var provider = await tools.QueryAsync(ProviderQuery(name));
        return new KubeContext(name, provider?.Trim() == MinikubeProvider);
    }

    /// <summary>
    /// The provider of the context's <c>context_info</c> extension. <c>--minify</c> with <c>--context</c> keeps only that
    /// context (kubectl config view --help), so <c>contexts[0]</c> is it; an unknown context makes kubectl fail.
    /// </summary>
    public static string[] ProviderQuery(string context) =>
    [
        "kubectl", "config", "view", "--minify", "--context", context,
        "-o", "jsonpath={.contexts[0].context.extensions[?(@.name==\"context_info\")].extension.provider}",
    ];

    /// <summary>kubectl's global <c>--context</c> flag, so every command acts on this context whatever is current.</summary>
    public string[] Kubectl(params string[] arguments) => ["kubectl", "--context", Name, .. arguments];
}
