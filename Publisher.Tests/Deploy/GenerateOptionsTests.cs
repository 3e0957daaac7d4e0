using System.Security.Cryptography;
using Phase4.Publisher;
using Phase4.Publisher.Compose;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;

namespace Phase4.Tests.Deploy;

/// <summary>
/// <c>generate</c> with and without its options: the same input gives the same bytes, the options are recorded for
/// <c>apply</c>, and generating without the dashboard after generating with it leaves exactly the committed output.
/// </summary>
public sealed class GenerateOptionsTests : IDisposable
{
    private static readonly string Committed = PublishedAppHostModel.Repository.DefaultOutputFolder;

    private readonly DirectoryInfo _output = Directory.CreateTempSubdirectory("phase4-generate-");

    [Fact]
    public async Task Generating_twice_with_the_dashboard_changes_nothing_and_records_the_options_for_apply()
    {
        var model = await PublishedAppHostModel.LoadAsync();
        Generation.Generate(model, PublishedAppHostModel.Repository, _output.FullName, DashboardRenderedFixture.Options);
        var first = Hashes(_output.FullName);
        Generation.Generate(model, PublishedAppHostModel.Repository, _output.FullName, DashboardRenderedFixture.Options);

        Assert.Equal(first, Hashes(_output.FullName));
        Assert.Contains($"{AspireDashboard.Name}/workload.yaml", first.Keys);
        Assert.Equal(DashboardRenderedFixture.Options, KubernetesOptions.Read(_output.FullName));
    }

    [Fact]
    public async Task Generating_without_the_dashboard_after_with_it_gives_the_committed_output()
    {
        var model = await PublishedAppHostModel.LoadAsync();
        Generation.Generate(model, PublishedAppHostModel.Repository, _output.FullName, DashboardRenderedFixture.Options);
        Generation.Generate(model, PublishedAppHostModel.Repository, _output.FullName, KubernetesOptions.Default);

        // The compose file names build contexts relative to its folder, which differs here.
        var generated = Hashes(_output.FullName).Where(entry => entry.Key != ComposeWriter.FileName);
        var committed = Hashes(Committed);
        Assert.All(generated, entry => Assert.True(committed.TryGetValue(entry.Key, out var hash) && hash == entry.Value, $"{entry.Key} differs from aspirate-output/"));
        Assert.DoesNotContain(generated, entry => entry.Key.Contains(AspireDashboard.Name, StringComparison.Ordinal));
        Assert.Equal(KubernetesOptions.Default, KubernetesOptions.Read(Committed));
    }

    public void Dispose() => _output.Delete(recursive: true);

    /// <summary>Every generated file's hash by path (secret files and apply's folder are not generated).</summary>
    private static Dictionary<string, string> Hashes(string folder) => Directory
        .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(file => (Path: Path.GetRelativePath(folder, file).Replace('\\', '/'), File: file))
        .Where(entry => !entry.Path.EndsWith(".secrets", StringComparison.Ordinal) && !entry.Path.StartsWith('.'))
        .ToDictionary(entry => entry.Path, entry => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry.File))), StringComparer.Ordinal);
}
