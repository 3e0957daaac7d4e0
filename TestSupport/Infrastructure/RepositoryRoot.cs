namespace Phase4.Tests.Infrastructure;

/// <summary>
/// This checkout's root folder (where Phase4.sln is), found above the test assembly. Its own file because
/// Publisher.Tests compiles it in (linked) instead of referencing this library and its PostgreSQL servers.
/// </summary>
public static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Phase4.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Phase4.sln not found above " + AppContext.BaseDirectory);
    }
}
