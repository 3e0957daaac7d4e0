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
        Directory.CreateDirectory(State("releases"));
        Directory.CreateDirectory(State("labels"));
        Directory.CreateDirectory(State("rollout"));
        Directory.CreateDirectory(State("pods"));
        Directory.CreateDirectory(State("inputs"));
        // Answers as the API server would, from files a test writes (see the properties below); a release record created
        // with `create -f -` is kept and listed back, relabelled and deleted like a Secret. What a command reads on
        // standard input (`-f -`) is recorded beside it (Inputs).
        Script("kubectl", $$"""
            case "$*" in
              "kustomize "*)
                # The mode of each secretGenerator env file while Kustomize reads it (they exist only meanwhile).
                for file in "$2"/../../*/.*.secrets; do [ -e "$file" ] && stat -c '%a %n' "$file" >> "{{State("transient")}}"; done
                exec "{{KubernetesTools.Kubectl}}" "$@" ;;
              "config "*) exec "{{KubernetesTools.Kubectl}}" "$@" ;;
            esac
            printf '%s\n' "kubectl $*" >> "{{Log}}"
            state="{{State("")}}"
            {{RecordInput("kubectl")}}
            case "$*" in
              *" get pvc "*) cat "{{ClaimFile}}" 2>/dev/null || true ;;
              *" get job "*" -o json") cat "$state/job.json" ;;
              *" get job "*) cat "{{JobFile}}" 2>/dev/null || printf 'True/' ;;
              *" logs job/"*) echo "migrator: the database refused the owner's password" ;;
              *" get namespace "*) cat "$state/namespace" 2>/dev/null || echo namespace/phase4 ;;
              *" get ingressclass "*) cat "$state/ingressclasses" 2>/dev/null || printf 'nginx true\n' ;;
              *" get nodes "*) cat "$state/runtime" 2>/dev/null || printf 'docker://28.4.0' ;;
              *"--dry-run=server"*)
                cat "$state/preflight-errors" >&2 2>/dev/null || true
                exit "$(cat "$state/preflight-exit" 2>/dev/null || echo 0)" ;;
              *" rollout status "*)
                target="$(printf '%s\n' "$@" | grep -E '^(deployment|statefulset)/' | tr / _)"
                cat "$state/rollout/$target" 2>/dev/null || printf '%s "%s" successfully rolled out\n' "${target%%_*}" "${target#*_}" ;;
              *" get pods "*)
                name="$(printf '%s\n' "$@" | sed -n 's/.*app.kubernetes.io\/name=\([^,]*\).*/\1/p')"
                cat "$state/pods/$name" 2>/dev/null || echo '{"kind":"PodList","items":[]}' ;;
              *" get events "*) cat "$state/events" 2>/dev/null || true ;;
              *" get secret -l "*"component!=release"*) cat "$state/secrets.json" 2>/dev/null || echo '{"kind":"SecretList","items":[]}' ;;
              *" get secret -l "*)
                printf '{"kind":"SecretList","items":['; first=1
                for record in "$state"/releases/*.json; do
                  [ -e "$record" ] || continue
                  [ "$first" = 1 ] || printf ','; first=0; cat "$record"
                done
                printf ']}\n' ;;
              *" create -f -"*)
                name="$(sed -n 's/.*"name":"\(phase4-release-v[0-9]*\)".*/\1/p' "$input")"
                cp "$input" "$state/releases/$name.json" ;;
              *" label secret "*)
                name="$(printf '%s\n' "$@" | grep -E '^phase4-release-v')"
                status="$(printf '%s\n' "$@" | sed -n 's/^dev.phase4\/status=//p')"
                sed -i "s/\"dev.phase4\/status\":\"[a-z]*\"/\"dev.phase4\/status\":\"$status\"/" "$state/releases/$name.json" ;;
              *" delete secret "*)
                for name in "$@"; do rm -f "$state/releases/$name.json"; done ;;
              *" get deployment "*" -o jsonpath="*)
                name="$(printf '%s\n' "$@" | grep -A1 -x deployment | tail -1)"
                cat "$state/replicas-$name" 2>/dev/null || echo 2 ;;
              *" get endpointslices "*) cat "$state/endpoints" 2>/dev/null || printf '10.244.0.11 10.244.0.12 10.244.0.13' ;;
              *" exec "*"pg_dump"*) cat "$state/dump" ;;
              *" exec "*"pg_restore"*) cat > "$state/restored" ;;
            esac
            """);
        // A build records the digest label it was given (a failed one, listed in failed-builds, records nothing); an
        // inspection prints it back as the runtime would.
        Script("minikube", $$"""
            printf '%s\n' "minikube $*" >> "{{Log}}"
            state="{{State("")}}"
            image=""; previous=""
            for argument in "$@"; do [ "$previous" = "-t" ] && image="$argument"; previous="$argument"; done
            case "$*" in
              *"image ls"*) cat "{{ImagesFile}}" 2>/dev/null || true ;;
              *"image build"*)
                label="$(printf '%s\n' "$@" | sed -n 's/^--build-opt=\(opt=label:\|label=\)dev.phase4.input-digest=//p')"
                grep -qxF "$image" "$state/failed-builds" 2>/dev/null || printf '%s' "$label" > "$state/labels/$(printf '%s' "$image" | tr '/:' '__')" ;;
              *" crictl inspecti "*)
                image="$(printf '%s\n' "$@" | tail -1)"
                printf '{"status":{},"info":{"imageSpec":{"config":{"Labels":{"dev.phase4.input-digest":"%s"} } } } }\n' "$(cat "$state/labels/$(printf '%s' "$image" | tr '/:' '__')" 2>/dev/null)" ;;
              *" docker image inspect "*)
                image="$(printf '%s\n' "$@" | tail -1)"
                printf '[{"Config":{"Labels":{"dev.phase4.input-digest":"%s"} } }]\n' "$(cat "$state/labels/$(printf '%s' "$image" | tr '/:' '__')" 2>/dev/null)" ;;
            esac
            """);
        // helm: a release operation is recorded (with what it reads on standard input); `template` renders for real,
        // offline (its cluster flags dropped, so lookup finds nothing, as on a first install), reading the input recorded.
        Script("helm", $$"""
            printf '%s\n' "helm $*" >> "{{Log}}"
            state="{{State("")}}"
            {{RecordInput("helm")}}
            if [ -n "$input" ]; then exec < "$input"; fi
            if [ "$1" = template ]; then
              skip=0
              for argument in "$@"; do
                shift
                if [ "$skip" = 1 ]; then skip=0; continue; fi
                case "$argument" in
                  --dry-run=server) ;;
                  --kube-context) skip=1 ;;
                  *) set -- "$@" "$argument" ;;
                esac
              done
              HELM_CACHE_HOME="{{State("helm")}}/cache" HELM_CONFIG_HOME="{{State("helm")}}/config" HELM_DATA_HOME="{{State("helm")}}/data" \
                exec "{{KubernetesTools.Helm}}" "$@"
            fi
            """);
        foreach (var engine in (string[])["docker", "podman"])
        {
            Script(engine, $$"""
                printf '%s\n' "{{engine}} $*" >> "{{Log}}"
                state="{{State("")}}"
                image=""; previous=""
                for argument in "$@"; do [ "$previous" = "-t" ] && image="$argument"; previous="$argument"; done
                case "$*" in
                  "build "*)
                    label="$(printf '%s\n' "$@" | sed -n 's/^dev.phase4.input-digest=//p')"
                    printf '%s' "$label" > "$state/labels/$(printf '%s' "$image" | tr '/:' '__')" ;;
                  "image inspect "*)
                    image="$(printf '%s\n' "$@" | tail -1)"
                    cat "$state/labels/$(printf '%s' "$image" | tr '/:' '__')" 2>/dev/null || true ;;
                esac
                """);
        }
    }

    private string State(string name) => Path.Combine(_folder.FullName, "state", name);

    /// <summary>
    /// Shell lines that keep the standard input of a command reading it (an argument <c>-</c>, as in <c>-f -</c> and
    /// <c>--values -</c>) as <c>inputs/NNNN.in</c>, its command line beside it; <c>$input</c> names the file.
    /// </summary>
    private static string RecordInput(string tool) => $$"""
        input=""
        for argument in "$@"; do
          if [ "$argument" = - ]; then
            input="$state/inputs/$(printf '%04d' "$(find "$state/inputs" -name '*.in' | wc -l)").in"
            cat > "$input"; printf '%s\n' "{{tool}} $*" > "${input%.in}.command"; break
          fi
        done
        """;

    /// <summary>The secretGenerator env files that existed while <c>kubectl kustomize</c> ran: <c>MODE PATH</c> lines.</summary>
    public IReadOnlyList<string> TransientFiles => File.Exists(State("transient")) ? File.ReadAllLines(State("transient")) : [];

    /// <summary>Each command that read standard input, with what it read, in order.</summary>
    public IReadOnlyList<(string Command, string Input)> Inputs => Directory.EnumerateFiles(State("inputs"), "*.in").Order(StringComparer.Ordinal)
        .Select(file => (File.ReadAllText(Path.ChangeExtension(file, ".command")).TrimEnd('\n'), File.ReadAllText(file))).ToList();

    /// <summary>The Secrets in <paramref name="manifests"/> (YAML, as applied), their data decoded, by name.</summary>
    public static Dictionary<string, Dictionary<string, string>> SecretsIn(string manifests) => k8s.KubernetesYaml.LoadAllFromString(manifests)
        .OfType<k8s.Models.V1Secret>()
        .ToDictionary(
            secret => secret.Metadata.Name,
            secret => (secret.Data ?? new Dictionary<string, byte[]>()).ToDictionary(entry => entry.Key, entry => System.Text.Encoding.UTF8.GetString(entry.Value ?? []), StringComparer.Ordinal),
            StringComparer.Ordinal);

    /// <summary>The app's Secrets the cluster holds (a core/v1 SecretList, as <c>kubectl get secret -l … -o json</c> prints it).</summary>
    public string ClusterSecrets
    {
        set => File.WriteAllText(State("secrets.json"), value);
    }

    /// <summary>
    /// The cluster keeps the Secrets applied so far (<c>kubectl apply -f -</c>, not a dry run): each named Secret as last
    /// applied, created in the order first applied, so the next command reads them back.
    /// </summary>
    public void KeepAppliedSecrets()
    {
        var secrets = new Dictionary<string, System.Text.Json.Nodes.JsonObject>(StringComparer.Ordinal);
        foreach (var (command, input) in Inputs.Where(entry => entry.Command.Contains(" apply ", StringComparison.Ordinal) && !entry.Command.Contains("--dry-run", StringComparison.Ordinal)))
        {
            var applied = input.TrimStart().StartsWith('{')
                ? System.Text.Json.Nodes.JsonNode.Parse(input)!["items"]!.AsArray().Select(item => item!.DeepClone().AsObject())
                : k8s.KubernetesYaml.LoadAllFromString(input).OfType<k8s.Models.V1Secret>()
                    .Select(secret => System.Text.Json.Nodes.JsonNode.Parse(k8s.KubernetesJson.Serialize(secret))!.AsObject());
            foreach (var secret in applied.Where(item => item["kind"]?.GetValue<string>() == "Secret"))
            {
                var name = secret["metadata"]!["name"]!.GetValue<string>();
                secret["metadata"]!["creationTimestamp"] = secrets.TryGetValue(name, out var earlier)
                    ? earlier["metadata"]!["creationTimestamp"]!.DeepClone()
                    : $"2026-01-01T00:00:{secrets.Count:00}Z";
                secrets[name] = secret;
            }
        }

        ClusterSecrets = new System.Text.Json.Nodes.JsonObject { ["kind"] = "SecretList", ["items"] = new System.Text.Json.Nodes.JsonArray([.. secrets.Values]) }.ToJsonString();
    }

    /// <summary>The node's container runtime as <c>kubectl get nodes</c> reports it (default <c>docker://28.4.0</c>).</summary>
    public string NodeRuntime
    {
        set => File.WriteAllText(State("runtime"), value);
    }

    /// <summary>What the IngressClass query prints: <c>NAME DEFAULT</c> lines (default: one default class, nginx).</summary>
    public string IngressClasses
    {
        set => File.WriteAllText(State("ingressclasses"), value);
    }

    /// <summary>Whether the app's namespace exists (it does unless told otherwise).</summary>
    public bool NamespaceExists
    {
        set => File.WriteAllText(State("namespace"), value ? "namespace/phase4\n" : "");
    }

    /// <summary>The server-side dry run's answer: its exit code and what it prints on standard error.</summary>
    public (int Exit, string Errors) PreflightAnswer
    {
        set
        {
            File.WriteAllText(State("preflight-exit"), value.Exit.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllText(State("preflight-errors"), value.Errors);
        }
    }

    /// <summary>What <c>kubectl rollout status KIND/NAME --watch=false</c> prints for one workload (default: rolled out).</summary>
    public void RolloutStatus(string kind, string name, string status) => File.WriteAllText(State($"rollout/{kind}_{name}"), status);

    /// <summary>The PodList <c>kubectl get pods -l app.kubernetes.io/name=NAME,… -o json</c> prints (default: none).</summary>
    public void Pods(string workload, string podListJson) => File.WriteAllText(State($"pods/{workload}"), podListJson);

    /// <summary>What the events query prints (one message a line).</summary>
    public string Events
    {
        set => File.WriteAllText(State("events"), value);
    }

    /// <summary>An image already in the engine or Minikube with this digest label (an earlier build).</summary>
    public void ExistingImage(string image, string digestLabel) => File.WriteAllText(State($"labels/{image.Replace('/', '_').Replace(':', '_')}"), digestLabel);

    /// <summary>Images whose Minikube build fails while minikube exits 0 (minikube issues #16576, #12556).</summary>
    public IEnumerable<string> FailingBuilds
    {
        set => File.WriteAllLines(State("failed-builds"), value);
    }

    /// <summary>The release records the cluster holds (the JSON of each Secret), by name.</summary>
    public IReadOnlyDictionary<string, string> Releases => Directory.EnumerateFiles(State("releases"))
        .ToDictionary(file => Path.GetFileNameWithoutExtension(file), File.ReadAllText);

    /// <summary>A stored release record: <paramref name="json"/> as <c>kubectl create -f</c> was given it.</summary>
    public void AddRelease(string name, string json) => File.WriteAllText(State($"releases/{name}.json"), json);

    /// <summary>What <c>kubectl get deployment NAME -o jsonpath={.spec.replicas}</c> prints (default 2).</summary>
    public void Replicas(string deployment, int replicas) => File.WriteAllText(State($"replicas-{deployment}"), replicas.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The bytes <c>kubectl exec … pg_dump</c> writes to standard output.</summary>
    public byte[] Dump
    {
        set => File.WriteAllBytes(State("dump"), value);
    }

    /// <summary>The bytes <c>kubectl exec -i … pg_restore</c> read from standard input.</summary>
    public byte[] Restored => File.ReadAllBytes(State("restored"));

    /// <summary>The Job <c>kubectl get job NAME -o json</c> prints.</summary>
    public string JobJson
    {
        set => File.WriteAllText(State("job.json"), value);
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
            ["helm"] = Path.Combine(_folder.FullName, "helm"),
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
