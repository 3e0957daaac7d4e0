using Phase4.Publisher.Deploy;

namespace Phase4.Tests.Deploy;

/// <summary>
/// The deployment verbs' tools for tests on a machine with no cluster, no Minikube and no Docker engine: the real
/// kubectl 1.35 reads a kubeconfig written here (so context detection is kubectl's own), while commands that need a
/// cluster or an engine go to stand-in scripts that record their argument vectors and answer like the real tool
/// (<c>kubectl get pvc</c> prints <see cref="ExistingClaim"/>, <c>minikube image ls</c> prints <see cref="MinikubeImages"/>).
/// </summary>
internal sealed class StandInTools : IDisposable
{
    public const string MinikubeContext = "dev";

    public const string ClusterContext = "prod";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("phase4-tools-");

    public StandInTools(string currentContext)
    {
        // As Minikube writes a profile's context (pkg/minikube/kubeconfig/settings.go PopulateFromSettings: cluster,
        // user and context named after the profile, with a context_info extension from minikube.sigs.k8s.io).
        File.WriteAllText(Kubeconfig, $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: {{MinikubeContext}}
              cluster:
                server: https://192.168.49.2:8443
                extensions:
                - name: cluster_info
                  extension:
                    provider: minikube.sigs.k8s.io
                    version: v1.37.0
            - name: {{ClusterContext}}
              cluster:
                server: https://k8s.example.com
            contexts:
            - name: {{MinikubeContext}}
              context:
                cluster: {{MinikubeContext}}
                user: {{MinikubeContext}}
                namespace: default
                extensions:
                - name: context_info
                  extension:
                    provider: minikube.sigs.k8s.io
                    version: v1.37.0
            - name: {{ClusterContext}}
              context:
                cluster: {{ClusterContext}}
                user: {{ClusterContext}}
            current-context: {{currentContext}}
            users:
            - name: {{MinikubeContext}}
              user: {}
            - name: {{ClusterContext}}
              user: {}
            """);
        Script("kubectl", $$"""
            case "$*" in
              "config "*) exec "{{KubernetesTools.Kubectl}}" "$@" ;;
            esac
            echo "kubectl $*" >> "{{Log}}"
            case "$*" in
              *" get pvc "*) cat "{{ClaimFile}}" 2>/dev/null || true ;;
              *" get job "*) cat "{{JobFile}}" 2>/dev/null || printf 'True/' ;;
              *" logs job/"*) echo "migrator: the database refused the owner's password" ;;
            esac
            """);
        Script("minikube", $$"""
            echo "minikube $*" >> "{{Log}}"
            case "$*" in
              *"image ls"*) cat "{{ImagesFile}}" 2>/dev/null || true ;;
            esac
            """);
        Script("docker", $$"""echo "docker $*" >> "{{Log}}" """);
        Script("podman", $$"""echo "podman $*" >> "{{Log}}" """);
    }

    private string Kubeconfig => Path.Combine(_folder.FullName, "kubeconfig");

    private string Log => Path.Combine(_folder.FullName, "commands.log");

    private string ClaimFile => Path.Combine(_folder.FullName, "claim");

    private string ImagesFile => Path.Combine(_folder.FullName, "images");

    private string JobFile => Path.Combine(_folder.FullName, "job");

    /// <summary>What <c>kubectl get job … -o jsonpath=…</c> prints: <c>True/</c> (complete, the default), <c>/True</c> (failed).</summary>
    public string JobConditions
    {
        set => File.WriteAllText(JobFile, value);
    }

    /// <summary>What <c>kubectl get pvc … -o name</c> prints (a claim that exists), or nothing.</summary>
    public string? ExistingClaim
    {
        set => File.WriteAllText(ClaimFile, value is null ? "" : value + "\n");
    }

    /// <summary>What <c>minikube image ls --format short</c> prints.</summary>
    public IEnumerable<string> MinikubeImages
    {
        set => File.WriteAllText(ImagesFile, string.Join('\n', value) + "\n");
    }

    public ToolEnvironment Environment => new(
        new Dictionary<string, string>
        {
            ["kubectl"] = Path.Combine(_folder.FullName, "kubectl"),
            ["minikube"] = Path.Combine(_folder.FullName, "minikube"),
            ["docker"] = Path.Combine(_folder.FullName, "docker"),
            ["podman"] = Path.Combine(_folder.FullName, "podman"),
        },
        new Dictionary<string, string> { ["KUBECONFIG"] = Kubeconfig });

    /// <summary>
    /// The same tools for a process that finds them itself (the AppHost run by the Aspire CLI): the stand-ins first on
    /// the PATH, and the kubeconfig.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment => new Dictionary<string, string>
    {
        ["PATH"] = _folder.FullName + Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
        ["KUBECONFIG"] = Kubeconfig,
    };

    /// <summary>The commands the stand-ins received, one line each (<c>tool arg …</c>), in order.</summary>
    public IReadOnlyList<string> Commands => File.Exists(Log) ? File.ReadAllLines(Log) : [];

    public ToolRunner Runner(bool dryRun, TextWriter console) =>
        new(PublishedAppHostModel.Repository.Root, dryRun, console, Environment);

    public void Dispose() => _folder.Delete(recursive: true);

    private void Script(string name, string body)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
