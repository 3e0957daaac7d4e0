namespace Phase4.Publisher;

/// <summary>Where the repository and its AppHost are; every path the publisher writes is relative to the root.</summary>
internal sealed record RepositoryLayout(string Root)
{
    public const string SolutionFile = "Phase4.sln";

    public string AppHostProject => Path.Combine(Root, "AppHost", "AppHost.csproj");

    public string DefaultOutputFolder => Path.Combine(Root, "aspirate-output");

    /// <summary>The nearest folder at or above <paramref name="start"/> holding <see cref="SolutionFile"/>.</summary>
    public static RepositoryLayout Find(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, SolutionFile)))
            {
                return new RepositoryLayout(folder.FullName);
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} found at or above {start}: run the publisher inside the repository.");
    }

    /// <summary><paramref name="path"/> relative to the root, with forward slashes on every platform.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');
}
