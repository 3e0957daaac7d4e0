using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// The inputs of one image's build and their digest, which is the image's tag: like Skaffold's <c>inputDigest</c>
/// tagger (GoogleContainerTools/skaffold pkg/skaffold/tag/input_digest.go: each dependency's path relative to the
/// workspace and content hashed, the sorted hashes hashed again; the dependencies from pkg/skaffold/docker/
/// dependencies.go: the sources of the Dockerfile's <c>COPY</c>/<c>ADD</c> instructions walked after
/// <c>.dockerignore</c>, plus the Dockerfile itself), with the build arguments added. An edited source changes the
/// tags of exactly the images that copy it; nothing else does — not <c>git status</c>, not the files <c>generate</c>
/// writes (they are neither copied nor in a context: the root's <c>.dockerignore</c> leaves <c>aspirate-output/</c> out).
/// </summary>
internal static class BuildInputs
{
    /// <summary>The image label carrying the digest, read back after a build to check the tag holds this build.</summary>
    public const string DigestLabel = "dev.phase4.input-digest";

    /// <summary>Hex characters of the digest used as the tag (64 bits: no collision among one app's builds).</summary>
    public const int TagLength = 16;

    /// <summary>The files the build reads, relative to the repository root, sorted (the Dockerfile among them).</summary>
    public static IReadOnlyList<string> Files(RepositoryLayout repository, BuiltImage image)
    {
        var context = Path.Combine(repository.Root, image.Context);
        var dockerfile = Path.Combine(context, image.Dockerfile);
        var ignore = DockerIgnore.For(context, dockerfile);
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in DockerfileSources.Read(File.ReadAllText(dockerfile)))
        {
            Walk(context, source, ignore, files);
        }

        files.Add(Relative(context, dockerfile));
        files.Remove(".dockerignore");
        return files.Select(file => repository.Relative(Path.Combine(context, file))).ToList();
    }

    /// <summary>The full SHA-256 digest (hex) of the build's inputs and <paramref name="buildArguments"/>.</summary>
    public static string Digest(RepositoryLayout repository, BuiltImage image, IReadOnlyDictionary<string, string>? buildArguments = null)
    {
        var context = Path.Combine(repository.Root, image.Context);
        var hashes = new List<string>();
        foreach (var file in Files(repository, image))
        {
            // Each file by its path inside the context and its content, so the digest does not depend on where the
            // checkout is, and a rename changes it.
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(Encoding.UTF8.GetBytes(Relative(context, Path.Combine(repository.Root, file)) + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(repository.Root, file)));
            hashes.Add(Convert.ToHexStringLower(hash.GetHashAndReset()));
        }

        foreach (var (name, value) in (buildArguments ?? new Dictionary<string, string>()).OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            hashes.Add($"build-arg {name}={value}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(hashes)));
    }

    public static string Tag(string digest) => digest[..TagLength];

    private static void Walk(string context, string source, DockerIgnore ignore, SortedSet<string> files)
    {
        var path = Path.GetFullPath(Path.Combine(context, source));
        if (!path.StartsWith(Path.GetFullPath(context), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"COPY source {source} is outside the build context {context}.");
        }

        if (File.Exists(path))
        {
            var relative = Relative(context, path);
            if (!ignore.IsIgnored(relative))
            {
                files.Add(relative);
            }

            return;
        }

        if (!Directory.Exists(path))
        {
            // A glob (COPY *.json ./) or a missing file: the context's files that match it, as the builder expands it.
            var parent = Path.GetDirectoryName(path)!;
            if (Directory.Exists(parent))
            {
                foreach (var match in Directory.EnumerateFileSystemEntries(parent, Path.GetFileName(path)))
                {
                    Walk(context, Relative(context, match), ignore, files);
                }
            }

            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(path))
        {
            var relative = Relative(context, entry);
            if (Directory.Exists(entry))
            {
                if (!ignore.SkipsFolder(relative) && (File.GetAttributes(entry) & FileAttributes.ReparsePoint) == 0)
                {
                    Walk(context, relative, ignore, files);
                }
            }
            else if (!ignore.IsIgnored(relative))
            {
                files.Add(relative);
            }
        }
    }

    private static string Relative(string context, string path) => Path.GetRelativePath(context, path).Replace('\\', '/');
}

/// <summary>
/// The build-context sources of a Dockerfile's <c>COPY</c> and <c>ADD</c> instructions (Dockerfile reference: "COPY
/// [OPTIONS] &lt;src&gt; ... &lt;dest&gt;", the JSON form, line continuations with <c>\</c>, comments); those with
/// <c>--from</c> copy from a stage or an image, not the context. A source this reader cannot resolve (a variable, a
/// remote URL, a heredoc) makes it fall back to the whole context: a tag may then change more often, never less.
/// </summary>
internal static class DockerfileSources
{
    public static IReadOnlyList<string> Read(string dockerfile)
    {
        var sources = new List<string>();
        foreach (var instruction in Instructions(dockerfile))
        {
            var words = Words(instruction);
            if (words.Count == 0 || !(words[0].Equals("COPY", StringComparison.OrdinalIgnoreCase) || words[0].Equals("ADD", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var arguments = words.Skip(1).ToList();
            var flags = arguments.TakeWhile(word => word.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (flags.Any(flag => flag.StartsWith("--from", StringComparison.Ordinal)))
            {
                continue;
            }

            var rest = arguments.Skip(flags.Count).ToList();
            var paths = rest.Count == 1 && rest[0].StartsWith('[')
                ? JsonSerializer.Deserialize<List<string>>(rest[0]) ?? []
                : rest;
            foreach (var source in paths.Take(paths.Count - 1))
            {
                if (source.Contains('$', StringComparison.Ordinal) || source.StartsWith("<<", StringComparison.Ordinal) || source.Contains("://", StringComparison.Ordinal))
                {
                    return ["."];
                }

                sources.Add(source);
            }
        }

        return sources;
    }

    /// <summary>The instructions, continuation lines joined and comment lines dropped.</summary>
    private static IEnumerable<string> Instructions(string dockerfile)
    {
        var current = new StringBuilder();
        foreach (var raw in dockerfile.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1]).Append(' ');
                continue;
            }

            current.Append(line);
            if (current.Length > 0)
            {
                yield return current.ToString().Trim();
            }

            current.Clear();
        }
    }

    /// <summary>Words split on white space, a JSON array (the exec form) kept as one word.</summary>
    private static List<string> Words(string instruction)
    {
        var space = instruction.IndexOfAny([' ', '\t']);
        if (space < 0)
        {
            return [instruction];
        }

        var words = new List<string> { instruction[..space] };
        var rest = instruction[(space + 1)..].Trim();
        while (rest.StartsWith("--", StringComparison.Ordinal))
        {
            var end = rest.IndexOfAny([' ', '\t']);
            words.Add(end < 0 ? rest : rest[..end]);
            rest = end < 0 ? "" : rest[(end + 1)..].Trim();
        }

        if (rest.StartsWith('['))
        {
            words.Add(rest);
        }
        else
        {
            words.AddRange(rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }

        return words;
    }
}
