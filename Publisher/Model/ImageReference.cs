namespace Phase4.Publisher.Model;

/// <summary>An image reference split as the container runtimes read it (distribution/reference's rules, tags only).</summary>
internal static class ImageReference
{
    public const string DockerHub = "docker.io";

    /// <summary>
    /// Registry, repository and tag: the first path component is a registry when it has a '.' or ':' or is
    /// <c>localhost</c>; otherwise the image is on Docker Hub, where one-component names live under <c>library/</c>.
    /// </summary>
    public static (string Registry, string Repository, string Tag) Parse(string reference)
    {
        var lastSlash = reference.LastIndexOf('/');
        var colon = reference.IndexOf(':', lastSlash + 1);
        var (name, tag) = colon < 0 ? (reference, "latest") : (reference[..colon], reference[(colon + 1)..]);
        var slash = name.IndexOf('/');
        var first = slash < 0 ? "" : name[..slash];
        if (first.Contains('.') || first.Contains(':') || first == "localhost")
        {
            return (first, name[(slash + 1)..], tag);
        }

        return (DockerHub, slash < 0 ? "library/" + name : name, tag);
    }

    /// <summary>The fully qualified form (<c>docker.io/library/postgres:18.3</c>), as Kubernetes nodes and Minikube list images.</summary>
    public static string Normalize(string reference)
    {
        var (registry, repository, tag) = Parse(reference);
        return $"{registry}/{repository}:{tag}";
    }
}
