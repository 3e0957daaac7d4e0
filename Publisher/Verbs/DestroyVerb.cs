using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes.Helm;

namespace Phase4.Publisher.Verbs;

/// <summary><c>destroy</c>: the app deleted, the database volume kept unless <c>--purge</c>.</summary>
internal sealed partial class DeployVerbs
{
    /// <param name="namespace">The namespace the output was generated for (publisher-state.json): where apply deployed it.</param>
    public async Task<int> DestroyAsync(string? kubeContext, string @namespace, bool purge, bool helm = false)
    {
        if (await ContextAsync(kubeContext, @namespace) is not { } context)
        {
            return 1;
        }

        if (helm)
        {
            await tools.RunAsync(HelmRelease.Uninstall(context));
            await tools.RunAsync(HelmRelease.DeleteHookObjects(context));
        }

        foreach (var command in helm && !purge ? [] : DeployCommands.Destroy(context, purge, CustomResources()))
        {
            await tools.RunAsync(command);
        }

        if (!purge)
        {
            await Console.WriteLineAsync(helm
                ? $"The database volume and the Secret {HelmRelease.ObjectName(ChartSecrets.StoreName)} (the generated secrets) are kept; `destroy --chart --purge` deletes them with the namespace."
                : "The database volume and the workloads' Secrets (the generated secrets) are kept; `destroy --purge` deletes them with the namespace.");
        }

        return 0;
    }

    /// <summary>The custom kinds this output put in the cluster: its ExternalSecrets, the HTTPRoute of an apply with a Gateway.</summary>
    private IEnumerable<string> CustomResources()
    {
        if (Kubernetes.KubernetesOptions.Read(outputFolder).UsesExternalSecrets)
        {
            yield return "externalsecrets.external-secrets.io";
        }

        if (File.Exists(Path.Combine(outputFolder, ApplyKustomization.Folder, "production", ApplyKustomization.RouteFile)))
        {
            yield return "httproutes.gateway.networking.k8s.io";
        }
    }
}
