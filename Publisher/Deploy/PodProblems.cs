using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Phase4.Publisher.Deploy;

/// <summary>A container that cannot start and will not by waiting: its pod, image, the kubelet's reason and message.</summary>
internal sealed record PodProblem(string Pod, string Container, string Image, string Reason, string Message);

/// <summary>
/// Reads <c>kubectl get pods -o json</c> (a core/v1 PodList) for containers the kubelet reports waiting for a reason that
/// waiting does not fix: <c>ErrImagePull</c> and <c>ImagePullBackOff</c> (pkg/kubelet/images/types.go; the back-off's
/// message is only <c>Back-off pulling image "IMAGE"</c>, image_manager.go, so the cause is in the pod's <c>Failed</c>
/// events), <c>InvalidImageName</c>, <c>ErrImageNeverPull</c>, and <c>CreateContainerConfigError</c> (a Secret,
/// ConfigMap or key the container reads is missing; pkg/kubelet/kuberuntime/kuberuntime_container.go). The shapes are
/// the API's: <c>status.containerStatuses[].state.waiting.{reason,message}</c> and <c>.image</c> (core/v1 ContainerStatus).
/// </summary>
internal static partial class PodProblems
{
    public static readonly string[] Reasons = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull", "CreateContainerConfigError"];

    public static IReadOnlyList<PodProblem> Find(string podListJson)
    {
        var problems = new List<PodProblem>();
        foreach (var pod in JsonNode.Parse(podListJson)?["items"]?.AsArray() ?? [])
        {
            var name = pod?["metadata"]?["name"]?.GetValue<string>() ?? "?";
            var statuses = (pod?["status"]?["initContainerStatuses"]?.AsArray() ?? []).Concat(pod?["status"]?["containerStatuses"]?.AsArray() ?? []);
            foreach (var status in statuses)
            {
                var waiting = status?["state"]?["waiting"];
                var reason = waiting?["reason"]?.GetValue<string>();
                if (reason is not null && Reasons.Contains(reason))
                {
                    problems.Add(new PodProblem(name, status?["name"]?.GetValue<string>() ?? "?", status?["image"]?.GetValue<string>() ?? "?",
                        reason, waiting?["message"]?.GetValue<string>() ?? ""));
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// The likely cause, in words a user acts on: from the context (an image of ours, no registry, on Minikube: it was
    /// not built there) and the runtime's own error text (the waiting message or the pod's events).
    /// </summary>
    public static string LikelyCause(PodProblem problem, string details, bool onMinikube, bool ownImage, string? registry)
    {
        if (problem.Reason == "CreateContainerConfigError")
        {
            return $"a Secret or ConfigMap the pod reads is missing or lacks a key ({problem.Message}); `apply` creates them from the secret files, so re-run it, or restore the files";
        }

        if (problem.Reason == "InvalidImageName")
        {
            return $"the image name {problem.Image} is not valid ({problem.Message})";
        }

        var text = problem.Message + "\n" + details;
        if (ownImage && registry is null && onMinikube)
        {
            return $"{problem.Image} is not built into Minikube: run `dotnet run --project Publisher -- build` on this context after your last edit (tags follow the sources), then apply again";
        }

        if (Unreachable().IsMatch(text))
        {
            return $"the registry of {problem.Image} is unreachable from the cluster's nodes (DNS, network, proxy or firewall)";
        }

        if (Denied().IsMatch(text))
        {
            return $"the registry refused to serve {problem.Image}: a missing or wrong pull secret (imagePullSecrets), or the image was never pushed there";
        }

        if (NotFound().IsMatch(text))
        {
            return $"{problem.Image} is not in its registry: `build --registry R --push` from these sources pushes it";
        }

        return $"the node could not pull {problem.Image}";
    }

    [GeneratedRegex(@"no such host|i/o timeout|connection refused|network is unreachable|TLS handshake timeout|dial tcp|context deadline exceeded|server misbehaving", RegexOptions.IgnoreCase)]
    private static partial Regex Unreachable();

    [GeneratedRegex(@"unauthorized|authentication required|access denied|denied:|insufficient_scope|may require authorization|may require 'docker login'|\b40[13]\b", RegexOptions.IgnoreCase)]
    private static partial Regex Denied();

    [GeneratedRegex(@"not found|manifest unknown|\b404\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotFound();
}
