using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The numeric user each image runs as: the restricted Pod Security profile needs <c>runAsNonRoot</c> with a UID the
/// kubelet can check, while our Dockerfiles name users (<c>USER $APP_UID</c>, <c>USER node</c>).
/// </summary>
internal static class ImageUsers
{
    /// <summary>The users of the base images we build on and run, by the name a Dockerfile's USER gives.</summary>
    private static readonly Dictionary<string, int> KnownUsers = new(StringComparer.Ordinal)
    {
        ["$APP_UID"] = 1654, // mcr.microsoft.com/dotnet/aspnet: user "app"
        ["app"] = 1654,
        ["node"] = 1000,     // docker.io/library/node
    };

    public static int Of(Workload workload, RepositoryLayout repository) => workload.Image switch
    {
        PublishedImage published => KnownImage.Require(workload.Name, published.Reference).UserId,
        BuiltImage built => FromDockerfile(Path.Combine(repository.Root, built.Context, built.Dockerfile)),
        _ => throw new NotSupportedException($"{workload.Name}: unknown image kind."),
    };

    private static int FromDockerfile(string dockerfile)
    {
        var user = File.ReadLines(dockerfile)
            .Select(line => line.Trim())
            .LastOrDefault(line => line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase))?[5..].Trim()
            ?? throw new InvalidOperationException($"{dockerfile} has no USER: images must not run as root.");
        return int.TryParse(user, System.Globalization.CultureInfo.InvariantCulture, out var uid) ? uid
            : KnownUsers.TryGetValue(user, out var known) ? known
            : throw new InvalidOperationException($"{dockerfile}: USER {user} has no known UID; use a numeric USER.");
    }
}
