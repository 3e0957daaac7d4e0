using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Verbs;

/// <summary>
/// The verbs that write files (<c>generate</c> in GenerateVerb.cs, <c>secrets</c> in SecretsVerb.cs), shared by the
/// command line, the AppHost's pipeline steps and the tests; and the model every verb starts from.
/// </summary>
internal static partial class Generation
{
    /// <summary>The model from <paramref name="manifestPath"/>, or from a fresh manifest of the AppHost.</summary>
    public static async Task<DeploymentModel> LoadModelAsync(RepositoryLayout repository, string? manifestPath, AppHostBuild build, CancellationToken cancellationToken)
    {
        if (manifestPath is not null)
        {
            return ModelBuilder.Build(ManifestReader.Read(manifestPath), repository);
        }

        var scratch = Directory.CreateTempSubdirectory("phase4-manifest-");
        try
        {
            var published = await AppHostManifest.PublishAsync(repository, scratch.FullName, build, cancellationToken);
            return ModelBuilder.Build(ManifestReader.Read(published), repository);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
