using System.Diagnostics;
using System.Text.RegularExpressions;
using Phase4.Publisher;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// Image tags follow the build inputs (issue 23, points 1 and 2), through the publisher's own verbs in a scratch git
/// clone of this repository's tracked files: an edit retags exactly the images built from the edited file, every time;
/// the files <c>generate</c> writes between <c>build</c> and <c>apply</c> change no tag.
/// </summary>
public sealed partial class ImageTagTests : IDisposable
{
    private readonly DirectoryInfo _clone = Directory.CreateTempSubdirectory("phase4-tags-");

    private RepositoryLayout Clone => new(_clone.FullName);

    /// <summary>Each edit of a file the MCP server's Dockerfile copies gives it a new tag; the other images keep theirs.</summary>
    [Fact]
    public async Task Every_edit_of_a_source_retags_exactly_the_images_built_from_it()
    {
        await CopyTrackedFilesAsync();
        var first = await BuildTagsAsync();

        await File.AppendAllTextAsync(Path.Combine(_clone.FullName, "McpServer", "Program.cs"), "\n// first edit\n");
        var second = await BuildTagsAsync();
        await File.AppendAllTextAsync(Path.Combine(_clone.FullName, "McpServer", "Program.cs"), "// second edit\n");
        var third = await BuildTagsAsync();

        Assert.Equal(["backend", "frontend", "mcpserver"], first.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, new[] { first["mcpserver"], second["mcpserver"], third["mcpserver"] }.Distinct().Count());
        Assert.All(new[] { second, third }, tags => Assert.Equal(first["backend"], tags["backend"]));
        Assert.All(new[] { second, third }, tags => Assert.Equal(first["frontend"], tags["frontend"]));

        // A file the backend's Dockerfile copies (Domain/) retags the backend and the MCP server, not the frontend; a
        // file no Dockerfile copies (docs/) retags nothing.
        await File.AppendAllTextAsync(Path.Combine(_clone.FullName, "Domain", "Domain.csproj"), "\n");
        var fourth = await BuildTagsAsync();
        Assert.NotEqual(third["backend"], fourth["backend"]);
        Assert.NotEqual(third["mcpserver"], fourth["mcpserver"]);
        Assert.Equal(third["frontend"], fourth["frontend"]);
        await File.AppendAllTextAsync(Path.Combine(_clone.FullName, "docs", "kubernetes.md"), "\nedited\n");
        Assert.Equal(fourth, await BuildTagsAsync());
    }

    /// <summary>
    /// docs/kubernetes.md's optional step between <c>build</c> and <c>apply</c> rewrites the tracked
    /// publisher-state.json; under <c>aspire deploy</c> generate and build run in parallel. Either way <c>apply</c> must
    /// pin the tags <c>build</c> built.
    /// </summary>
    [Fact]
    public async Task Generate_between_build_and_apply_changes_no_tag_and_apply_pins_what_build_built()
    {
        await CopyTrackedFilesAsync();
        var built = await BuildTagsAsync();

        var output = Path.Combine(_clone.FullName, "aspirate-output");
        new PublisherVerbs(Clone, output, CommandLine.Parse(["--include-dashboard"]), new StringWriter())
            .Generate(await PublishedAppHostModel.LoadAsync());
        Assert.NotEmpty(await GitAsync("status", "--porcelain", "--untracked-files=no"));

        var console = new StringWriter();
        await new PublisherVerbs(Clone, output, CommandLine.Parse(["--dry-run", "--kube-context", "elsewhere", "--yes"]), console)
            .ApplyAsync(await PublishedAppHostModel.LoadAsync());
        // The line apply prints as it writes the kustomization that pins the images ("images tagged TAG" before tags
        // were per image).
        var written = console.ToString().Split('\n').Single(line => line.StartsWith("write ", StringComparison.Ordinal) && line.Contains(".deploy/", StringComparison.Ordinal));
        var pinned = ImageTag().Matches(written).Select(match => match.Groups[2].Value)
            .Concat(Regex.Matches(written, @"tagged ([A-Za-z0-9_.-]+)").Select(match => match.Groups[1].Value));
        Assert.Equal(built.Values.Order(StringComparer.Ordinal), pinned.Order(StringComparer.Ordinal));
        Assert.Equal(built, ImageTag().Matches(written).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value));
    }

    /// <summary>The tags <c>build --dry-run --engine docker</c> prints on its "Images:" line, by image.</summary>
    private async Task<Dictionary<string, string>> BuildTagsAsync()
    {
        var console = new StringWriter();
        var exit = await new PublisherVerbs(Clone, Path.Combine(_clone.FullName, "aspirate-output"),
                CommandLine.Parse(["--dry-run", "--engine", "docker", "--kube-context", "elsewhere"]), console)
            .BuildAsync(await PublishedAppHostModel.LoadAsync());
        Assert.True(exit == 0, console.ToString());
        var images = console.ToString().Split('\n').Single(line => line.StartsWith("Images: ", StringComparison.Ordinal));
        return ImageTag().Matches(images).ToDictionary(match => match.Groups[1].Value, match => match.Groups[2].Value);
    }

    /// <summary>The repository's tracked files, committed in a fresh repository, so the tree starts clean.</summary>
    private async Task CopyTrackedFilesAsync()
    {
        var tracked = (await RunAsync("git", RepositoryRoot.Folder, "ls-files", "-z")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        foreach (var file in tracked.Where(file => File.Exists(Path.Combine(RepositoryRoot.Folder, file))))
        {
            var target = Path.Combine(_clone.FullName, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepositoryRoot.Folder, file), target);
        }

        await GitAsync("init", "-q");
        await GitAsync("add", "-A");
        await GitAsync("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "clone");
    }

    private Task<string> GitAsync(params string[] arguments) => RunAsync("git", _clone.FullName, arguments);

    private static async Task<string> RunAsync(string program, string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {await errors}");
        return await output;
    }

    public void Dispose() => _clone.Delete(recursive: true);

    [GeneratedRegex(@"phase4/([a-z]+):([A-Za-z0-9_.-]+)")]
    private static partial Regex ImageTag();
}
