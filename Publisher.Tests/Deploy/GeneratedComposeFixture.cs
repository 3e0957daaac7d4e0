using Phase4.Publisher;
using Phase4.Publisher.Compose;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The deployment model of the real AppHost (its manifest, published by running the already-built AppHost), the
/// Compose file generated from it now, and the committed one.
/// </summary>
public sealed class GeneratedComposeFixture : IAsyncLifetime
{
    internal RepositoryLayout Repository { get; } = new(RepositoryRoot.Folder);

    internal DeploymentModel Model { get; private set; } = null!;

    public string GeneratedText { get; private set; } = "";

    public string CommittedPath => Path.Combine(Repository.DefaultOutputFolder, "docker-compose.yaml");

    /// <summary>The committed file, parsed: the one users run.</summary>
    public YamlMappingNode Committed { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await PublishedAppHostModel.LoadAsync();

        // Written to a scratch folder, with build contexts relative to where the committed file lives.
        var scratch = Directory.CreateTempSubdirectory("phase4-publish-");
        try
        {
            var toRoot = Path.GetRelativePath(Repository.DefaultOutputFolder, Repository.Root);
            var path = Path.Combine(scratch.FullName, ComposeWriter.FileName);
            await File.WriteAllTextAsync(path, ComposeWriter.Write(Model, toRoot));
            GeneratedText = await File.ReadAllTextAsync(path);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        if (File.Exists(CommittedPath))
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(await File.ReadAllTextAsync(CommittedPath)));
            Committed = (YamlMappingNode)stream.Documents[0].RootNode;
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
