using Phase4.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The Minikube end-to-end scripts cannot run here (no Minikube): shellcheck reads them for the mistakes it knows, and
/// the GitHub workflow that runs them on a Minikube runner must name each one.
/// </summary>
public sealed class MinikubeScriptTests
{
    private static readonly string[] Scripts = ["scripts/minikube-e2e.sh", "scripts/minikube-helm-e2e.sh"];

    [Fact]
    public async Task The_end_to_end_scripts_pass_shellcheck_at_warning_level()
    {
        // .ci/run installs shellcheck (Debian's package).
        var output = await KubernetesTools.RunAsync("shellcheck", ["--severity=warning", "--shell=bash", .. Scripts], ServiceProcess.RepositoryRoot);
        Assert.Equal("", output);
    }

    [Fact]
    public void The_GitHub_workflow_runs_each_script_after_installing_minikube()
    {
        var workflow = new YamlStream();
        workflow.Load(new StringReader(File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot, ".github/workflows/minikube-e2e.yml"))));
        var jobs = (YamlMappingNode)((YamlMappingNode)workflow.Documents[0].RootNode)["jobs"];
        var steps = jobs.Children.Values.Cast<YamlMappingNode>()
            .Select(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().ToList())
            .ToList();

        foreach (var script in Scripts)
        {
            var job = Assert.Single(steps, job => job.Any(step => step.Children.TryGetValue("run", out var run) && run.ToString() == script));
            var uses = job.Where(step => step.Children.ContainsKey("uses")).Select(step => step["uses"].ToString()).ToList();
            Assert.Contains(uses, action => action.StartsWith("medyagh/setup-minikube@", StringComparison.Ordinal));
            Assert.Contains(uses, action => action.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
        }
    }
}
