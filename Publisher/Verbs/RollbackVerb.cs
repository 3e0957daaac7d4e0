using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Verbs;

/// <summary><c>rollback</c>: an earlier release applied again.</summary>
internal sealed partial class DeployVerbs
{
    /// <summary>
    /// Re-applies an earlier release's manifests exactly (its image tags, settings and Secrets), through the same
    /// preflight, jobs and watched rollouts as <c>apply</c>, and records it as a new release. A schema migration is not
    /// undone: the earlier build runs on the newer schema, which the additive-migration rule keeps compatible.
    /// </summary>
    public async Task<int> RollbackAsync(KubernetesApp app, string? kubeContext, int? revision, bool helm = false)
    {
        if (await ContextAsync(kubeContext, app.Namespace) is not { } context)
        {
            return 1;
        }

        if (helm)
        {
            await Console.WriteLineAsync("Database migrations applied since are not undone (docs/kubernetes.md, Roll back).");
            await tools.RunAsync(HelmRelease.Rollback(context, revision));
            return 0;
        }

        var listed = await tools.ReadAsync(ReleaseHistory.ListCommand(context));
        if (listed is null)
        {
            return 0;
        }

        var releases = ReleaseHistory.Parse(listed);
        if (ReleaseHistory.Target(releases, revision) is not { } target)
        {
            await Console.WriteLineAsync(revision is null
                ? $"No earlier deployed release to roll back to ({(releases.Count == 0 ? "no release is recorded in namespace " + context.Namespace : "releases: " + string.Join(", ", releases.Select(r => $"v{r.Revision} {r.Status}")))})."
                : $"No release v{revision} (kept: {string.Join(", ", releases.Select(r => $"v{r.Revision}"))}).");
            return 1;
        }

        await Console.WriteLineAsync($"Rolling back to release v{target.Revision} ({target.Description}; images {target.Images}). Database migrations applied since are not undone.");
        // The record's manifests hold Secrets: from the cluster to kubectl's standard input, never to a file.
        var manifests = new StandardInput(target.Manifests, $"the manifests of release v{target.Revision}");
        return await DeployManifestsAsync(app, context, manifests, new ReleaseChange($"rollback to v{target.Revision}", target.Images, null, false));
    }
}
