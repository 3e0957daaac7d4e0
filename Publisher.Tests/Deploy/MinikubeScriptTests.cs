using k8s;
using k8s.Models;
using Phase4.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The Minikube end-to-end scripts cannot run here (no Minikube): shellcheck reads them for the mistakes it knows, every
/// pod they create passes the same restricted Pod Security check as the generated workloads (the namespace enforces
/// it: a pod that fails it is refused by admission, as `kubectl run busybox` was), and the GitHub workflow that runs
/// them on a Minikube runner names each one, pins its tools and runs when anything that goes into an image changes.
/// </summary>
public sealed class MinikubeScriptTests
{
    private static readonly string[] Scripts = ["scripts/minikube-e2e.sh", "scripts/minikube-helm-e2e.sh"];

    private const string SharedHelpers = "scripts/minikube/e2e-lib.sh";

    private static readonly string[] PinnedTools = ["MINIKUBE_VERSION", "KUBECTL_VERSION", "HELM_VERSION"];

    private static readonly string[] AppSources = ["Backend.Api/**", "McpServer/**", "Domain/**", "ServiceDefaults/**", "Frontend/**", "AppHost/**", "Publisher/**"];

    private static readonly string[] PodManifests = ["scripts/minikube/load-generator.yaml", "scripts/minikube/policy-probe.yaml"];

    [Fact]
    public async Task The_end_to_end_scripts_pass_shellcheck()
    {
        // .ci/run installs shellcheck (Debian's package). --external-sources follows the helpers both scripts source
        // (shellcheck wiki, SC1091); shellcheck reports only on the files it is given, so the helpers are given too.
        var output = await KubernetesTools.RunAsync("shellcheck", ["--shell=bash", "--external-sources", .. Scripts, SharedHelpers], RepositoryRoot.Folder);
        Assert.Equal("", output);
    }

    [Fact]
    public void Every_pod_the_scripts_create_is_defined_as_a_manifest_that_meets_the_restricted_profile()
    {
        foreach (var manifest in PodManifests)
        {
            var pods = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, manifest)), typeMap: null, strict: true).Cast<V1Pod>().ToList();
            Assert.NotEmpty(pods);
            Assert.All(pods, pod => PodSecurityAndLifecycleTests.MeetsRestrictedPodSecurity($"{manifest}: {pod.Metadata.Name}", pod.Spec));
        }

        foreach (var script in Scripts)
        {
            var text = File.ReadAllText(Path.Combine(RepositoryRoot.Folder, script));
            Assert.DoesNotContain("kubectl run", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" run load", text, StringComparison.Ordinal);
        }
    }

    /// <summary>A probe that must be denied has a control that must get through, with the frontend's labels.</summary>
    [Fact]
    public void The_policy_probe_has_a_denied_pod_and_an_allowed_control_with_the_frontends_labels()
    {
        var pods = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, "scripts/minikube/policy-probe.yaml")), typeMap: null, strict: true).Cast<V1Pod>().ToList();
        string Expect(V1Pod pod) => pod.Spec.Containers.Single().Env.Single(variable => variable.Name == "EXPECT").Value;
        Assert.Equal("denied", Expect(pods.Single(pod => pod.Metadata.Labels["app.kubernetes.io/name"] != "frontend")));
        var control = pods.Single(pod => pod.Metadata.Labels["app.kubernetes.io/name"] == "frontend");
        Assert.Equal("reached", Expect(control));
        Assert.Equal("phase4", control.Metadata.Labels["app.kubernetes.io/instance"]);
        Assert.Equal("phase4", control.Metadata.Labels["app.kubernetes.io/part-of"]);
    }

    [Fact]
    public void The_GitHub_workflow_runs_each_script_with_pinned_tools_when_the_app_changes()
    {
        var workflow = new YamlStream();
        workflow.Load(new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot.Folder, ".github/workflows/minikube-e2e.yml"))));
        var root = (YamlMappingNode)workflow.Documents[0].RootNode;
        var jobs = (YamlMappingNode)root["jobs"];
        var steps = jobs.Children.Values.Cast<YamlMappingNode>()
            .Select(job => ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().ToList())
            .ToList();

        foreach (var script in Scripts)
        {
            var job = Assert.Single(steps, job => job.Any(step => step.Children.TryGetValue("run", out var run) && run.ToString() == script));
            var uses = job.Where(step => step.Children.ContainsKey("uses")).ToList();
            Assert.Contains(uses, step => step["uses"].ToString().StartsWith("actions/setup-dotnet@", StringComparison.Ordinal));
            foreach (var (action, input) in new[] { ("medyagh/setup-minikube@", "minikube-version"), ("azure/setup-kubectl@", "version") })
            {
                var setup = Assert.Single(uses, step => step["uses"].ToString().StartsWith(action, StringComparison.Ordinal));
                Assert.Matches(@"^\$\{\{ env\.[A-Z_]+ \}\}$", ((YamlMappingNode)setup["with"])[input].ToString());
            }
        }

        var pinned = (YamlMappingNode)root["env"];
        Assert.All(PinnedTools, name => Assert.Matches(@"^v\d+\.\d+\.\d+$", pinned[name].ToString()));
        var paths = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)root["on"])["pull_request"])["paths"]).Children.Select(path => path.ToString()).ToList();
        Assert.All(AppSources, path => Assert.Contains(path, paths));
    }
}
