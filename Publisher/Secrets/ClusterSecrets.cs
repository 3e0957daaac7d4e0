using System.Text;
using System.Text.Json.Nodes;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// The workloads' Secrets in the cluster, where the generated values live (the Kustomize route): read back with
/// <c>kubectl get secret -l … -o json</c> into memory, and written only through kubectl's standard input. The base's
/// secretGenerator names each <c>&lt;workload&gt;-secrets-&lt;hash&gt;</c> (a new name for new content, so pods roll),
/// and <c>secrets import</c> writes <c>&lt;workload&gt;-secrets</c>; all carry the workload's labels.
/// </summary>
internal static class ClusterSecrets
{
    /// <summary>
    /// The app's Secrets but the release records: <c>kubectl get secret -l SELECTOR -o json</c> (kubectl get --help:
    /// "-l, --selector … supports '=', '==', '!=', 'in', 'notin'"), a core/v1 SecretList with base64 <c>data</c>.
    /// </summary>
    public static string[] Query(KubeContext context) => context.Kubectl(
        "-n", context.Namespace, "get", "secret", "-l", $"{DeployCommands.DestroySelector},app.kubernetes.io/component!={ReleaseHistory.Component}", "-o", "json");

    /// <summary>
    /// Each workload's Secret as the cluster holds it, by workload name: the keys of all its Secrets, a newer one's value
    /// winning (values are only ever added, so older ones hold a part of the newest).
    /// </summary>
    public static IReadOnlyDictionary<string, StoredSecret> Parse(KubernetesApp app, string secretListJson)
    {
        var items = (JsonNode.Parse(secretListJson)?["items"]?.AsArray() ?? [])
            .OfType<JsonNode>()
            .OrderBy(item => item["metadata"]?["creationTimestamp"]?.GetValue<string>(), StringComparer.Ordinal)
            .ToList();
        var stored = new Dictionary<string, StoredSecret>(StringComparer.Ordinal);
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new List<string>();
            foreach (var item in items.Where(item => Belongs(item, workload)))
            {
                names.Add(item["metadata"]!["name"]!.GetValue<string>());
                foreach (var (key, value) in item["data"]?.AsObject() ?? [])
                {
                    values[key] = value is null ? "" : Encoding.UTF8.GetString(Convert.FromBase64String(value.GetValue<string>()));
                }
            }

            if (names.Count > 0)
            {
                stored[workload.Name] = new StoredSecret($"Secret {names[^1]}", values);
            }
        }

        return stored;
    }

    /// <summary>
    /// The Secrets <c>secrets import</c> applies, as a core/v1 List for <c>kubectl apply -f -</c>: each workload's
    /// <c>&lt;workload&gt;-secrets</c> with every key it is to hold, and the workload's labels (so <c>apply</c> reads it
    /// back).
    /// </summary>
    public static string Manifest(KubernetesApp app, IEnumerable<string> workloads, SecretPlan plan)
    {
        var items = new JsonArray();
        foreach (var workload in app.Workloads.Where(w => workloads.Contains(w.Name)))
        {
            var data = new JsonObject();
            foreach (var (key, value) in plan.Values[workload.Name])
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
            }

            var labels = new JsonObject();
            foreach (var (key, value) in workload.Labels)
            {
                labels[key] = value;
            }

            items.Add(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Secret",
                ["metadata"] = new JsonObject { ["name"] = workload.SecretName, ["namespace"] = app.Namespace, ["labels"] = labels },
                ["type"] = "Opaque",
                ["data"] = data,
            });
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "List", ["items"] = items }.ToJsonString() + "\n";
    }

    private static bool Belongs(JsonNode item, KubernetesWorkload workload)
    {
        var name = item["metadata"]?["name"]?.GetValue<string>() ?? "";
        return item["metadata"]?["labels"]?["app.kubernetes.io/name"]?.GetValue<string>() == workload.Name
            && (name == workload.SecretName || name.StartsWith(workload.SecretName + "-", StringComparison.Ordinal));
    }
}
