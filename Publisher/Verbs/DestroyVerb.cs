using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes.Helm;

namespace Phase4.Publisher.Verbs;

/// <summary><c>destroy</c>: the app deleted, the database volume kept unless <c>--purge</c>.</summary>
internal sealed partial class DeployVerbs
{
    public async Task<int> DestroyAsync(string? kubeContext, bool purge, bool helm = false)
    {
        if (await ContextAsync(kubeContext) is not { } context)
        {
            return 1;
        }

        if (helm)
        {
            await tools.RunAsync(HelmRelease.Uninstall(context));
            await tools.RunAsync(HelmRelease.DeleteHookObjects(context));
        }

        foreach (var command in helm && !purge ? [] : DeployCommands.Destroy(context, purge))
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
}
