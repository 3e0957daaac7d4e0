using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Deploy;

/// <summary>One applied release of the Kustomize route: its revision, status, what it was, and the manifests applied.</summary>
internal sealed record Release(int Revision, string Status, string Description, string Images, string Manifests)
{
    public string SecretName => ReleaseHistory.SecretName(Revision);
}

/// <summary>
/// The Kustomize route's release history, kept in the cluster as Helm keeps its own (Helm's storage driver: one Secret
/// per revision holding the gzipped release, labelled with its status; helm/helm pkg/storage/driver/secrets.go): each
/// <c>apply</c> and <c>rollback</c> stores the exact manifests it applied in a Secret <c>phase4-release-vN</c> in the
/// app's namespace, labelled <c>pending</c>, then <c>deployed</c> or <c>failed</c>; the newest
/// <see cref="Kept"/> are kept. A Secret, not a ConfigMap, because the manifests include the app's Secrets. It goes
/// with <c>destroy</c> (its labels are the app's), as <c>helm uninstall</c> deletes a release's history.
/// </summary>
internal static class ReleaseHistory
{
    public const int Kept = 5;

    public const string Component = "release";

    public const string RevisionLabel = "dev.phase4/revision";

    public const string StatusLabel = "dev.phase4/status";

    public const string DescriptionAnnotation = "dev.phase4/description";

    public const string ImagesAnnotation = "dev.phase4/images";

    public static string SecretName(int revision) => $"{KubernetesApp.Instance}-release-v{revision.ToString(CultureInfo.InvariantCulture)}";

    public static string Selector => $"app.kubernetes.io/component={Component},app.kubernetes.io/part-of={KubernetesApp.Instance},app.kubernetes.io/managed-by={KubernetesApp.ManagedBy}";

    /// <summary><c>kubectl get secret -l SELECTOR -o json</c>: every stored release (kubectl get --help: -l, -o json).</summary>
    public static string[] ListCommand(KubeContext context) =>
        context.Kubectl("-n", context.Namespace, "get", "secret", "-l", Selector, "-o", "json");

    /// <summary>The releases in the output of <see cref="ListCommand"/>, newest first.</summary>
    public static IReadOnlyList<Release> Parse(string secretListJson)
    {
        var releases = new List<Release>();
        foreach (var item in JsonNode.Parse(secretListJson)?["items"]?.AsArray() ?? [])
        {
            var labels = item?["metadata"]?["labels"];
            var annotations = item?["metadata"]?["annotations"];
            if (!int.TryParse(labels?[RevisionLabel]?.GetValue<string>(), NumberStyles.None, CultureInfo.InvariantCulture, out var revision))
            {
                continue;
            }

            var data = item?["data"]?["manifests"]?.GetValue<string>();
            releases.Add(new Release(revision, labels?[StatusLabel]?.GetValue<string>() ?? "unknown",
                annotations?[DescriptionAnnotation]?.GetValue<string>() ?? "", annotations?[ImagesAnnotation]?.GetValue<string>() ?? "",
                data is null ? "" : Decompress(Convert.FromBase64String(data))));
        }

        return releases.OrderByDescending(release => release.Revision).ToList();
    }

    /// <summary>
    /// <c>kubectl create -f -</c>: the record, read on standard input ("cat pod.json | kubectl create -f -", kubectl create
    /// --help), since it holds the manifests and so the Secrets.
    /// </summary>
    public static string[] CreateCommand(KubeContext context) => context.Kubectl("create", "-f", "-");

    /// <summary>The Secret recording <paramref name="release"/> in <paramref name="namespace"/>, as JSON for <c>kubectl create -f</c> (which reads JSON and YAML).</summary>
    public static string Record(Release release, string @namespace) => new JsonObject
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject
        {
            ["name"] = release.SecretName,
            ["namespace"] = @namespace,
            ["labels"] = new JsonObject
            {
                ["app.kubernetes.io/name"] = "release",
                ["app.kubernetes.io/instance"] = KubernetesApp.Instance,
                ["app.kubernetes.io/component"] = Component,
                ["app.kubernetes.io/part-of"] = KubernetesApp.Instance,
                ["app.kubernetes.io/managed-by"] = KubernetesApp.ManagedBy,
                [RevisionLabel] = release.Revision.ToString(CultureInfo.InvariantCulture),
                [StatusLabel] = release.Status,
            },
            ["annotations"] = new JsonObject
            {
                [DescriptionAnnotation] = release.Description,
                [ImagesAnnotation] = release.Images,
            },
        },
        ["type"] = "Opaque",
        ["data"] = new JsonObject { ["manifests"] = Convert.ToBase64String(Compress(release.Manifests)) },
    }.ToJsonString() + "\n";

    /// <summary><c>kubectl label secret NAME KEY=VALUE --overwrite</c> (kubectl label --help).</summary>
    public static string[] MarkCommand(KubeContext context, int revision, string status) =>
        context.Kubectl("-n", context.Namespace, "label", "secret", SecretName(revision), $"{StatusLabel}={status}", "--overwrite");

    /// <summary>Deletes the releases beyond the newest <see cref="Kept"/>, counting the one being recorded.</summary>
    public static string[]? PruneCommand(KubeContext context, IReadOnlyList<Release> existing)
    {
        var old = existing.Skip(Kept - 1).Select(release => release.SecretName).ToList();
        return old.Count == 0 ? null : context.Kubectl(["-n", context.Namespace, "delete", "secret", .. old, "--ignore-not-found"]);
    }

    /// <summary>
    /// The release a rollback returns to: <paramref name="revision"/>, or the newest one that deployed before the newest
    /// record (the one a failed or unwanted apply replaced), as <c>helm rollback</c> without a revision does.
    /// </summary>
    public static Release? Target(IReadOnlyList<Release> releases, int? revision) => revision is { } wanted
        ? releases.FirstOrDefault(release => release.Revision == wanted)
        : releases.Skip(1).FirstOrDefault(release => release.Status == "deployed");

    private static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    private static string Decompress(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
