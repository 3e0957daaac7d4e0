using System.Text;
using System.Text.RegularExpressions;

namespace Phase4.Publisher.Deploy;

/// <summary>
/// A <c>.dockerignore</c> file as the Docker builder reads it, so the build-input digest covers exactly the files the
/// build context sends. The semantics are moby/patternmatcher's (patternmatcher.go: <c>New</c>, <c>compile</c>,
/// <c>MatchesOrParentMatches</c>) with moby/patternmatcher/ignorefile's reading (comments, a leading <c>/</c> dropped,
/// <c>filepath.Clean</c>): patterns are anchored at the context root, <c>*</c> and <c>?</c> never cross a <c>/</c>,
/// <c>**</c> spans folders, a path is ignored when it or a parent matches, and the last matching pattern wins (a
/// <c>!</c> pattern re-includes). No .NET package implements this grammar (gitignore's differs: unanchored names).
/// </summary>
internal sealed class DockerIgnore
{
    private readonly IReadOnlyList<(Regex Pattern, bool Exclusion)> _patterns;

    private DockerIgnore(IReadOnlyList<(Regex, bool)> patterns) => _patterns = patterns;

    public static DockerIgnore Empty { get; } = new([]);

    /// <summary>
    /// The ignore file of a build: <c>&lt;Dockerfile&gt;.dockerignore</c> beside the Dockerfile takes precedence over the
    /// context's <c>.dockerignore</c> (Docker docs, "Build context": Filename and location).
    /// </summary>
    public static DockerIgnore For(string contextFolder, string dockerfilePath)
    {
        foreach (var candidate in (string[])[dockerfilePath + ".dockerignore", Path.Combine(contextFolder, ".dockerignore")])
        {
            if (File.Exists(candidate))
            {
                return Parse(File.ReadAllLines(candidate));
            }
        }

        return Empty;
    }

    public static DockerIgnore Parse(IEnumerable<string> lines)
    {
        var patterns = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclusion = line.StartsWith('!');
            if (exclusion)
            {
                line = line[1..].Trim();
            }

            line = Clean(line.TrimStart('/'));
            if (line.Length == 0)
            {
                continue;
            }

            patterns.Add((Compile(line), exclusion));
        }

        return new DockerIgnore(patterns);
    }

    /// <summary>Whether <paramref name="relativePath"/> (slash-separated, relative to the context) is left out of the context.</summary>
    public bool IsIgnored(string relativePath)
    {
        var segments = relativePath.Split('/');
        var matched = false;
        foreach (var (pattern, exclusion) in _patterns)
        {
            // An inclusion cannot change a path already matched, nor an exclusion one not matched yet.
            if (exclusion != matched)
            {
                continue;
            }

            var match = pattern.IsMatch(relativePath);
            for (var i = 1; !match && i < segments.Length; i++)
            {
                match = pattern.IsMatch(string.Join('/', segments[..i]));
            }

            if (match)
            {
                matched = !exclusion;
            }
        }

        return matched;
    }

    /// <summary>Whether a folder can be skipped whole: it is ignored and no <c>!</c> pattern could re-include something in it.</summary>
    public bool SkipsFolder(string relativePath) => IsIgnored(relativePath) && !_patterns.Any(pattern => pattern.Exclusion);

    /// <summary>Go's <c>filepath.Clean</c> for the forms a pattern takes: no empty, <c>.</c> or resolvable <c>..</c> segments.</summary>
    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>The pattern as a regular expression, token by token as patternmatcher's <c>compile</c> builds it.</summary>
    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                {
                    i++;
                }

                // "**" at the end accepts everything below; elsewhere any number of folders, even none.
                regex.Append(i + 1 == pattern.Length ? ".*" : "(.*/)?");
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else if (c == '\\' && i + 1 < pattern.Length)
            {
                regex.Append(Regex.Escape(pattern[++i].ToString()));
            }
            else if (c is '[' or ']')
            {
                regex.Append(c);
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
