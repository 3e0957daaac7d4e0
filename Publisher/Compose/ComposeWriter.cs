using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;
using Phase4.Publisher.Yaml;
using YamlDotNet.RepresentationModel;

namespace Phase4.Publisher.Compose;

/// <summary>
/// Writes the model as a Compose file for Compose v1 (<c>docker-compose</c>) and v2 (<c>docker compose</c>).
/// Secrets are <c>${NAME}</c> references to the <c>.env</c> file beside it. Start-up order uses plain
/// <c>depends_on</c>: the services retry and report unready until their dependencies answer, so nothing waits on
/// container health checks, which some runtimes never run (podman without systemd).
/// </summary>
internal static class ComposeWriter
{
    public const string FileName = "docker-compose.yaml";

    /// <summary>
    /// The host port of the app's entry point (the service nobody references), the only one published: the others
    /// are reached through it, so nothing on the host can talk to them, or tell them a client address, directly.
    /// </summary>
    public const int FirstHostPort = 8080;

    public static string Write(DeploymentModel model, string relativePathToRoot)
    {
        var services = new YamlMappingNode();
        var hostPorts = HostPorts(model);
        var entryPoint = hostPorts.Keys.Select(key => key.Item1).FirstOrDefault();
        foreach (var workload in model.Workloads)
        {
            services.Add(workload.Name, Service(workload, model.TasksBefore(workload).ToList(), hostPorts, entryPoint, relativePathToRoot));
        }

        var root = new YamlMappingNode { { "services", services } };
        var volumes = model.Workloads.SelectMany(w => w.Volumes).Select(v => v.Name).Distinct().ToList();
        if (volumes.Count > 0)
        {
            var volumeNodes = new YamlMappingNode();
            foreach (var volume in volumes)
            {
                volumeNodes.Add(volume, new YamlMappingNode());
            }

            root.Add("volumes", volumeNodes);
        }

        return YamlText.Write(root,
        [
            "Generated from the AppHost model by the Phase4 publisher; do not edit. Regenerate with:",
            "  dotnet run --project Publisher -- generate",
            "Secrets come from .env beside this file, created once with:",
            "  dotnet run --project Publisher -- secrets",
            "Then: docker-compose up -d --build (or docker compose up -d --build), and open http://localhost:" + FirstHostPort,
        ]);
    }

    private static YamlMappingNode Service(
        Workload workload, List<Workload> tasksBefore, Dictionary<(string, string), int> hostPorts, string? entryPoint, string relativePathToRoot)
    {
        var service = new YamlMappingNode();
        switch (workload.Image)
        {
            case BuiltImage built:
                service.Add("image", YamlText.Scalar(built.Repository + ":latest"));
                service.Add("build", new YamlMappingNode
                {
                    { "context", YamlText.Scalar(JoinPath(relativePathToRoot, built.Context)) },
                    { "dockerfile", YamlText.Scalar(built.Dockerfile) },
                });
                break;
            case PublishedImage published:
                service.Add("image", YamlText.Scalar(published.Reference));
                break;
        }

        if (workload.Entrypoint is { } entrypoint)
        {
            service.Add("entrypoint", YamlText.FlowSequence([entrypoint]));
        }

        if (workload.Args.Count > 0)
        {
            service.Add("command", YamlText.FlowSequence(workload.Args.Select(arg => arg.Render(Reference, EscapeLiteral))));
        }

        var environment = new YamlMappingNode();
        foreach (var variable in workload.Environment.Concat(ClusterSettings.ComposeForwardingSettings(workload, entryPoint)).Where(v => v.Name != ClusterSettings.AspNetCoreForwardedHeaders))
        {
            environment.Add(variable.Name, YamlText.Scalar(variable.Value.Render(Reference, EscapeLiteral)));
        }

        var publicPort = workload.Ports.FirstOrDefault(port => port.External && hostPorts.ContainsKey((workload.Name, port.Name)));
        if (publicPort is not null && environment.Children.ContainsKey(new YamlScalarNode(ClusterSettings.PublicOriginKey)))
        {
            // The frontend's public origin: the host port it is published on.
            environment.Children[new YamlScalarNode(ClusterSettings.PublicOriginKey)] =
                YamlText.Scalar($"http://localhost:${{{PortVariable(workload, publicPort)}:-{hostPorts[(workload.Name, publicPort.Name)]}}}");
        }

        if (environment.Children.Count > 0)
        {
            service.Add("environment", environment);
        }

        var ports = workload.Ports.Where(port => port.External && hostPorts.ContainsKey((workload.Name, port.Name)))
            .Select(port => $"127.0.0.1:${{{PortVariable(workload, port)}:-{hostPorts[(workload.Name, port.Name)]}}}:{port.ContainerPort}")
            .ToList();
        if (ports.Count > 0)
        {
            service.Add("ports", YamlText.Sequence(ports));
        }

        if (workload.Volumes.Count > 0)
        {
            service.Add("volumes", YamlText.Sequence(workload.Volumes.Select(v => $"{v.Name}:{v.Target}" + (v.ReadOnly ? ":ro" : ""))));
        }

        if (tasksBefore.Count > 0)
        {
            // The long form: a task (the migrator) must have exited 0 first (Compose spec, depends_on:
            // service_completed_successfully); the others only started, as in the short form.
            var dependencies = new YamlMappingNode();
            foreach (var name in workload.DependsOn.Concat(tasksBefore.Select(task => task.Name)).Distinct(StringComparer.Ordinal))
            {
                var condition = tasksBefore.Any(task => task.Name == name) ? "service_completed_successfully" : "service_started";
                dependencies.Add(name, new YamlMappingNode { { "condition", condition } });
            }

            service.Add("depends_on", dependencies);
        }
        else if (workload.DependsOn.Count > 0)
        {
            service.Add("depends_on", YamlText.Sequence(workload.DependsOn));
        }

        if (workload.Probes is CommandHealthProbe command)
        {
            service.Add("healthcheck", new YamlMappingNode
            {
                { "test", YamlText.FlowSequence(["CMD", .. command.Command]) },
                { "interval", "5s" },
                { "timeout", "5s" },
                { "retries", YamlText.Scalar(12) },
                { "start_period", "10s" },
            });
        }

        // A task runs once; a service is restarted unless stopped.
        service.Add("restart", YamlText.Scalar(workload.RunsToCompletion ? "no" : "unless-stopped"));
        return service;
    }

    /// <summary>The entry point's external ports get host ports from <see cref="FirstHostPort"/> up; nothing else is published.</summary>
    private static Dictionary<(string, string), int> HostPorts(DeploymentModel model)
    {
        var referenced = model.Workloads.SelectMany(w => w.DependsOn).ToHashSet(StringComparer.Ordinal);
        return model.Workloads
            .Where(workload => !referenced.Contains(workload.Name))
            .SelectMany(workload => workload.Ports.Where(port => port.External).Select(port => (workload.Name, port.Name)))
            .Select((key, index) => (key, port: FirstHostPort + index))
            .ToDictionary(entry => entry.key, entry => entry.port);
    }

    private static string PortVariable(Workload workload, WorkloadPort port) =>
        (workload.Ports.Count(p => p.External) == 1 ? workload.Name : $"{workload.Name}_{port.Name}").ToUpperInvariant().Replace('-', '_') + "_PORT";

    private static string Reference(DeploymentInput input) => input.Secret
        ? $"${{{input.VariableName}:?missing: run the publisher secrets command}}"
        : $"${{{input.VariableName}}}";

    /// <summary>Compose reads '$' as the start of a variable; '$$' is a literal dollar.</summary>
    private static string EscapeLiteral(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    private static string JoinPath(string relativePathToRoot, string path) =>
        path == "." ? relativePathToRoot : relativePathToRoot + "/" + path;
}
