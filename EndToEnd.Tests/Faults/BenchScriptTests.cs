using Phase4.Tests.Deploy;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Faults;

/// <summary>
/// The scripts that measure the edge cases and success criteria (bench/, run in CI by .ci/faults.sh or by hand) are
/// read by shellcheck with the libraries they source, as the Minikube scripts are.
/// </summary>
public sealed class BenchScriptTests
{
    private static readonly string[] Scripts = ["saturation.sh", "scale-out.sh", "partitions.sh", "limits.sh", "soak.sh"];

    [Fact]
    public async Task The_edge_case_scripts_and_their_libraries_pass_shellcheck_at_warning_level()
    {
        // -x follows each `source` (lib.sh, cluster.sh, netns.sh, budget.sh), which resolve from the bench folder.
        var bench = await KubernetesTools.RunAsync("shellcheck", ["-x", "--severity=warning", "--shell=bash", .. Scripts],
            Path.Combine(RepositoryRoot.Folder, "bench"));
        var ci = await KubernetesTools.RunAsync("shellcheck", ["--severity=warning", ".ci/faults.sh"], RepositoryRoot.Folder);

        Assert.Equal("", bench + ci);
    }
}
