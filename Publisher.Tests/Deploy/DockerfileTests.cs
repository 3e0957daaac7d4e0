using System.Text.RegularExpressions;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The Dockerfiles as issue 5 requires them. The container smoke test (.ci/containers/smoke.sh) builds and runs them;
/// these checks name the rule a change breaks.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string> Images => new()
    {
        { "Backend.Api/Dockerfile", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled" },
        { "McpServer/Dockerfile", "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled" },
        { "Frontend/Dockerfile", "docker.io/library/node:22" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void The_final_stage_has_no_RUN_exposes_8080_and_runs_as_a_non_root_user(string dockerfile, string runtimeBase)
    {
        var stages = Stages(dockerfile);
        var final = stages[^1];

        Assert.True(stages.Count >= 2, "multi-stage: build and runtime stages");
        Assert.StartsWith("FROM " + runtimeBase, final[0], StringComparison.Ordinal);
        Assert.DoesNotContain(final, line => line.StartsWith("RUN ", StringComparison.Ordinal));
        Assert.Contains("EXPOSE 8080", final);
        var user = Assert.Single(final, line => line.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..];
        Assert.DoesNotMatch("^(root|0)(:|$)", user);
        // Exec form: no shell needed to start (chiseled images have none).
        Assert.Matches(@"^ENTRYPOINT \[", Assert.Single(final, line => line.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Every_base_image_is_pinned_by_tag_with_a_build_argument_for_its_digest(string dockerfile, string runtimeBase)
    {
        var froms = Stages(dockerfile).Select(stage => stage[0]).ToList();

        Assert.Contains(froms, from => from.StartsWith("FROM " + runtimeBase, StringComparison.Ordinal));
        foreach (var from in froms)
        {
            Assert.Matches(PinnedFrom(), from);
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Packages_are_restored_from_the_lock_files_before_the_sources_are_copied(string dockerfile, string runtimeBase)
    {
        _ = runtimeBase;
        var build = Stages(dockerfile)[0];
        var restore = build.FindIndex(line => line.Contains("dotnet restore", StringComparison.Ordinal) || line.Contains("npm ci", StringComparison.Ordinal));
        var firstSourceCopy = build.FindIndex(line => line is "COPY . ." || Regex.IsMatch(line, @"^COPY (Domain|SigningKeys|ServiceDefaults|Backend\.Api|McpServer)/ "));

        Assert.True(restore > 0, "a restore step");
        Assert.True(restore < firstSourceCopy, "the restore layer comes before the sources, so a code change reuses it");
        Assert.Matches("--locked-mode|npm ci", build[restore]);
        Assert.Contains(build.Take(restore), line => line.StartsWith("COPY ", StringComparison.Ordinal) && line.Contains("lock", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(".dockerignore")]
    [InlineData("Frontend/.dockerignore")]
    public void The_build_context_leaves_out_build_output_dependencies_and_secrets(string dockerignore)
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryRoot.Folder, dockerignore)).Select(line => line.Trim()).ToHashSet();
        var root = dockerignore == ".dockerignore";

        Assert.Contains(root ? "**/node_modules/" : "node_modules/", ignored);
        Assert.Contains(root ? "**/.env" : ".env", ignored);
        Assert.Contains(root ? "**/*.secrets" : "*.secrets", ignored);
        if (root)
        {
            Assert.Contains(".git", ignored);
            Assert.Contains("**/bin/", ignored);
            Assert.Contains("**/obj/", ignored);
        }
    }

    /// <summary>Instructions (continuation lines joined, comments dropped) grouped by stage.</summary>
    private static List<List<string>> Stages(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, dockerfile)).Replace("\\\n", " ", StringComparison.Ordinal);
        var stages = new List<List<string>>();
        foreach (var line in text.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            if (line.StartsWith("FROM ", StringComparison.Ordinal))
            {
                stages.Add([]);
            }

            if (stages.Count > 0)
            {
                stages[^1].Add(line);
            }
        }

        return stages;
    }

    /// <summary><c>FROM registry/name:tag${X_DIGEST:+@${X_DIGEST}}</c>: a tag always, a digest when the argument is given.</summary>
    [GeneratedRegex(@"^FROM [a-z0-9./-]+:[A-Za-z0-9.-]+\$\{([A-Z_]+_DIGEST):\+@\$\{\1\}\}( AS \w+)?$")]
    private static partial Regex PinnedFrom();
}
