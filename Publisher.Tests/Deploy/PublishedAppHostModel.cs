using System.Reflection;
using Phase4.Publisher;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Verbs;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>The real AppHost's deployment model, published once per test run (it runs the already-built AppHost).</summary>
internal static class PublishedAppHostModel
{
    public static RepositoryLayout Repository { get; } = new(RepositoryRoot.Folder);

    private static readonly Lazy<Task<DeploymentModel>> Model = new(() =>
    {
        var configuration = typeof(PublishedAppHostModel).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Generation.LoadModelAsync(Repository, manifestPath: null, new AppHostBuild(NoBuild: true, configuration), CancellationToken.None);
    });

    public static Task<DeploymentModel> LoadAsync() => Model.Value;
}
