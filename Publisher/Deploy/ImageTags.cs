using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// The tag of each image built here: the digest of its build inputs (<see cref="BuildInputs"/>), so <c>build</c>,
/// <c>apply</c> and <c>aspire deploy</c> compute the same tags from the same sources, with no state in between; or one
/// tag for every image (<c>--tag</c>). The digests are kept either way: <c>build</c> labels each image with its own
/// and reads it back.
/// </summary>
internal sealed record ImageTags(string? Fixed, IReadOnlyDictionary<string, string> Digests)
{
    /// <summary>One tag for every image, with no digests (tests, and a caller that knows its tag).</summary>
    public static ImageTags Of(string tag) => new(tag, new Dictionary<string, string>());

    /// <summary>The digests of every image the app builds here, keyed by image name; <paramref name="fixedTag"/> overrides the tags.</summary>
    public static ImageTags FromInputs(KubernetesApp app, RepositoryLayout repository, string? fixedTag) => new(
        fixedTag,
        app.Workloads.Where(w => w.Source.Image is BuiltImage).DistinctBy(w => w.ImageName)
            .ToDictionary(w => w.ImageName, w => BuildInputs.Digest(repository, (BuiltImage)w.Source.Image), StringComparer.Ordinal));

    public string TagOf(KubernetesWorkload workload) => Fixed
        ?? (Digests.TryGetValue(workload.ImageName, out var digest) ? BuildInputs.Tag(digest)
            : throw new InvalidOperationException($"No build-input digest for {workload.ImageName}."));

    public string? DigestOf(KubernetesWorkload workload) => Digests.GetValueOrDefault(workload.ImageName);

    /// <summary>How the tags read in a message: the fixed tag, or each image's.</summary>
    public string Describe(KubernetesApp app) => Fixed ?? string.Join(", ",
        app.Workloads.Where(w => w.Source.IsBuiltHere).DistinctBy(w => w.ImageName).Select(w => $"{w.ImageName}:{TagOf(w)}"));
}
