using System.Diagnostics;
using System.Security.Cryptography;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The same commit published twice, from two different folders (as on two machines), gives byte-identical
/// application files: deterministic compilation, mapped source paths, locked package versions.
/// </summary>
public sealed class ReproducibleBuildTests : IDisposable
{
    private static readonly string[] SourceFolders = ["Backend.Api", "Domain", "ServiceDefaults", "SigningKeys"];
    private static readonly string[] SharedFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig", "Phase4.sln"];

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phase4-repro-");

    [Fact]
    public async Task Publishing_Backend_Api_twice_from_different_folders_gives_byte_identical_files()
    {
        var first = await PublishCopyAsync("first");
        var second = await PublishCopyAsync("second-checkout");

        var firstHashes = Hashes(first);
        Assert.Contains("Backend.Api.dll", firstHashes.Keys);
        Assert.Equal(firstHashes, Hashes(second));
    }

    public void Dispose() => _scratch.Delete(recursive: true);

    /// <summary>Copies the sources (no bin/obj) to a fresh folder and publishes from there.</summary>
    private async Task<string> PublishCopyAsync(string name)
    {
        var root = Path.Combine(_scratch.FullName, name);
        foreach (var file in SharedFiles)
        {
            CopyFile(Path.Combine(RepositoryRoot.Folder, file), Path.Combine(root, file));
        }

        foreach (var folder in SourceFolders)
        {
            CopySources(Path.Combine(RepositoryRoot.Folder, folder), Path.Combine(root, folder));
        }

        var output = Path.Combine(root, "publish");
        var start = new ProcessStartInfo("dotnet",
            ["publish", "Backend.Api/Backend.Api.csproj", "-c", "Release", "-o", output, "-p:ContinuousIntegrationBuild=true", "-p:RestoreLockedMode=true", "-nodeReuse:false"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var log = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet publish failed:\n{await log}\n{await errors}");
        return output;
    }

    private static Dictionary<string, string> Hashes(string folder) => Directory
        .EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .ToDictionary(
            file => Path.GetRelativePath(folder, file),
            file => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file))));

    private static void CopySources(string source, string target)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is not ("bin" or "obj"))
            {
                CopyFile(file, Path.Combine(target, relative));
            }
        }
    }

    private static void CopyFile(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target);
    }
}
