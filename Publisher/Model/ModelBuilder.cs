using System.Text.RegularExpressions;
using Phase4.Publisher.Manifest;

namespace Phase4.Publisher.Model;

/// <summary>
/// Turns the AppHost manifest into a <see cref="DeploymentModel"/>: resolves every <c>{resource.path}</c>
/// expression to service names, container ports and deployment inputs, and maps each runnable resource to its image.
/// Conventions (see docs/containers.md): our images listen on 8080 for HTTP and have no TLS (it ends at the ingress),
/// so https endpoints and the variables pointing at them are left out.
/// </summary>
internal sealed partial class ModelBuilder
{
    /// <summary>The port every image built from this repository listens on (ASPNETCORE_HTTP_PORTS / PORT).</summary>
    public const int ServicePort = 8080;

    private static readonly HashSet<string> WorkloadTypes = ["project.v0", "project.v1", "container.v0", "container.v1", "executable.v0"];
    private static readonly HashSet<string> ValueTypes = ["parameter.v0", "value.v0", "annotated.string"];

    private readonly Dictionary<string, ManifestResource> _resources;
    private readonly RepositoryLayout _repository;
    private readonly Dictionary<string, DeploymentInput> _inputs = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ManifestResource> _manifestOrder;

    private ModelBuilder(IReadOnlyList<ManifestResource> resources, RepositoryLayout repository)
    {
        _resources = resources.ToDictionary(resource => resource.Name, StringComparer.Ordinal);
        _manifestOrder = resources;
        _repository = repository;
    }

    public static DeploymentModel Build(IReadOnlyList<ManifestResource> resources, RepositoryLayout repository) =>
        new ModelBuilder(resources, repository).Build(resources);

    private DeploymentModel Build(IReadOnlyList<ManifestResource> resources)
    {
        var unsupported = resources.Where(r => !WorkloadTypes.Contains(r.Type) && !ValueTypes.Contains(r.Type)).ToList();
        if (unsupported.Count > 0)
        {
            throw new NotSupportedException(
                "The publisher does not know these resource types: " + string.Join(", ", unsupported.Select(r => $"{r.Name} ({r.Type})")));
        }

        var databases = DatabasesByServer(resources);
        var workloads = resources.Where(r => WorkloadTypes.Contains(r.Type))
            .Select(resource => BuildWorkload(resource, databases.GetValueOrDefault(resource.Name)))
            .ToList();
        return new DeploymentModel(workloads, _inputs.Values.OrderBy(input => input.ParameterName, StringComparer.Ordinal).ToList());
    }

    private Workload BuildWorkload(ManifestResource resource, string? database)
    {
        var image = ImageOf(resource);
        var ports = PortsOf(resource, image is BuiltImage);
        var environment = new List<EnvironmentVariable>();
        var references = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, expression) in resource.Environment)
        {
            if (Resolve(expression, references) is { } value)
            {
                environment.Add(new EnvironmentVariable(name, value));
            }
        }

        if (database is not null)
        {
            // AddDatabase creates the database at run time, not through the image: the image's POSTGRES_DB does it here.
            environment.Add(new EnvironmentVariable("POSTGRES_DB", ValueTemplate.Literal(database)));
        }

        // An executable's arguments start its process in run mode; its image (built from its folder) has its own.
        var args = resource.Type == "executable.v0"
            ? []
            : resource.Args.Select(arg => Resolve(arg, references)
                ?? throw new NotSupportedException($"{resource.Name}: the argument '{arg}' names an endpoint this deployment leaves out.")).ToList();

        references.Remove(resource.Name);
        var dependsOn = _resources.Values.Where(r => references.Contains(r.Name) && WorkloadTypes.Contains(r.Type))
            .Select(r => r.Name).ToList();

        return new Workload(
            resource.Name,
            KindOf(resource, ports),
            image,
            ports,
            environment,
            resource.Volumes.Select(volume => new WorkloadVolume(VolumeName(resource.Name, volume.Name), volume.Target, volume.ReadOnly)).ToList(),
            dependsOn,
            ProbesOf(resource, image, ports, environment, database))
        {
            IsDotNetProject = resource.Type is "project.v0" or "project.v1",
            Args = args,
            Entrypoint = resource.Entrypoint,
        };
    }

    private WorkloadImage ImageOf(ManifestResource resource)
    {
        string context, dockerfile;
        switch (resource.Type)
        {
            case "container.v0" or "container.v1" when resource.Build is null:
                return new PublishedImage(resource.Image ?? throw new InvalidOperationException($"{resource.Name} has no image."));
            case "container.v0" or "container.v1":
                (context, dockerfile) = (resource.Build!.Context, resource.Build.Dockerfile);
                break;
            case "executable.v0":
                // A process run from its folder (the Node frontend): the image is that folder's Dockerfile.
                context = resource.WorkingDirectory ?? throw new InvalidOperationException($"{resource.Name} has no working directory.");
                dockerfile = Path.Combine(context, "Dockerfile");
                break;
            default:
                // A .NET project: its Dockerfile sits next to the project and builds from the repository root, where
                // the shared props, lock files and referenced projects are.
                context = _repository.Root;
                dockerfile = Path.Combine(Path.GetDirectoryName(resource.ProjectPath!)!, "Dockerfile");
                break;
        }

        if (!File.Exists(dockerfile))
        {
            throw new InvalidOperationException($"{resource.Name}: {_repository.Relative(dockerfile)} is missing; every service needs a Dockerfile.");
        }

        return new BuiltImage("phase4/" + ImageNameOf(resource), _repository.Relative(context), Path.GetRelativePath(context, dockerfile).Replace('\\', '/'));
    }

    /// <summary>
    /// Resources built from the same source (a service and its migrator: one project) run one image, built, pushed and
    /// pinned once, named after the one of them that serves (has an endpoint), else the first.
    /// </summary>
    private string ImageNameOf(ManifestResource resource)
    {
        static string? SourceOf(ManifestResource r) => r.Build is { } build ? build.Context + "|" + build.Dockerfile : r.ProjectPath ?? r.WorkingDirectory;
        var sharing = _manifestOrder.Where(other => WorkloadTypes.Contains(other.Type) && SourceOf(other) == SourceOf(resource)).ToList();
        return (sharing.FirstOrDefault(other => other.Bindings.Count > 0) ?? sharing.FirstOrDefault() ?? resource).Name;
    }

    private static List<WorkloadPort> PortsOf(ManifestResource resource, bool builtHere) =>
        resource.Bindings
            .Where(binding => !builtHere || binding.Value.Scheme == "http")
            .Select(binding => new WorkloadPort(
                binding.Key,
                binding.Value.Scheme,
                builtHere ? ServicePort : binding.Value.TargetPort ?? throw new InvalidOperationException($"{resource.Name}.{binding.Key} has no target port."),
                binding.Value.External))
            .ToList();

    /// <summary>What the AppHost says the resource is; a resource it says nothing of is refused, naming what to add.</summary>
    private static WorkloadKind KindOf(ManifestResource resource, List<WorkloadPort> ports)
    {
        if (resource.Kind is null)
        {
            throw new NotSupportedException(
                $"{resource.Name}: the publisher cannot tell what this {resource.Type} is (service, worker, job, database or cache). " +
                $"Say it in the AppHost: .PublishAs(ResourceKind.…) (AppHost/Deployment/PublisherKinds.cs), which writes \"{WorkloadKinds.ManifestProperty}\" into the manifest.");
        }

        if (!WorkloadKinds.ByManifestName.TryGetValue(resource.Kind, out var kind))
        {
            throw new NotSupportedException(
                $"{resource.Name}: \"{WorkloadKinds.ManifestProperty}\": \"{resource.Kind}\" is not one of {string.Join(", ", WorkloadKinds.ByManifestName.Keys)}.");
        }

        return kind == WorkloadKind.Service && ports.Count == 0
            ? throw new NotSupportedException($"{resource.Name}: a service needs an http endpoint; publish it as a worker if it serves nothing.")
            : kind;
    }

    private static HealthProbes? ProbesOf(ManifestResource resource, WorkloadImage image, List<WorkloadPort> ports, List<EnvironmentVariable> environment, string? database)
    {
        if (resource.Probes.Count > 0)
        {
            // The AppHost's probes (ServiceDefaults' /alive, /started and /health; the Node frontend serves /alive and
            // /health). Without a startup probe, the start-up is over once the liveness probe passes.
            string? FindPath(string type) => resource.Probes.FirstOrDefault(probe => probe.Type == type)?.Path;
            string PathOf(string type) => FindPath(type)
                ?? throw new NotSupportedException($"{resource.Name}: the publisher needs a {type} probe beside the others (WithHttpProbe).");
            var endpoint = resource.Probes[0].Endpoint;
            var port = ports.FirstOrDefault(p => p.Name == endpoint)
                ?? throw new NotSupportedException($"{resource.Name}: the probes' endpoint '{endpoint}' is not an http endpoint this deployment keeps.");
            return new HttpHealthProbes(port.ContainerPort, PathOf("liveness"), PathOf("readiness"), FindPath("startup") ?? PathOf("liveness"));
        }

        // A third-party image: as the table of known images says (the Aspire dashboard is added by the publisher).
        return image is PublishedImage published
            ? KnownImage.Require(resource.Name, published.Reference).Probe(new KnownImageSettings(ports, environment, database))
            : null;
    }

    /// <summary>Resolves a manifest string; null when it points at something this deployment leaves out (https).</summary>
    private ValueTemplate? Resolve(string expression, ISet<string> references)
    {
        var parts = new List<ValuePart>();
        var position = 0;
        foreach (Match match in Placeholder().Matches(expression))
        {
            parts.Add(new LiteralPart(expression[position..match.Index]));
            var resolved = ResolvePlaceholder(match.Groups["resource"].Value, match.Groups["path"].Value, references);
            if (resolved is null)
            {
                return null;
            }

            parts.AddRange(resolved.Parts);
            position = match.Index + match.Length;
        }

        parts.Add(new LiteralPart(expression[position..]));
        return ValueTemplate.Concat(parts);
    }

    private ValueTemplate? ResolvePlaceholder(string name, string path, ISet<string> references)
    {
        var resource = _resources.GetValueOrDefault(name) ?? throw new InvalidOperationException($"Unknown resource '{name}' in {{{name}.{path}}}.");
        references.Add(name);
        var segments = path.Split('.');
        return segments switch
        {
            ["connectionString"] => Resolve(resource.ConnectionString ?? throw new InvalidOperationException($"{name} has no connection string."), references),
            ["value"] or ["inputs", "value"] when resource.Type == "parameter.v0" => new ValueTemplate([new InputPart(InputFor(resource))]),
            ["value"] when resource.Type == "annotated.string" => ResolveFiltered(resource, references),
            ["value"] => Resolve(resource.Value ?? throw new InvalidOperationException($"{name} has no value."), references),
            ["bindings", var binding, var property] => ResolveBinding(resource, binding, property),
            _ => throw new NotSupportedException($"The publisher cannot resolve {{{name}.{path}}}."),
        };
    }

    private static ValueTemplate? ResolveBinding(ManifestResource resource, string bindingName, string property)
    {
        var builtHere = resource.Build is not null || resource.Type is "project.v0" or "project.v1" or "executable.v0";
        var port = PortsOf(resource, builtHere).FirstOrDefault(p => p.Name == bindingName);
        if (port is null)
        {
            return resource.Bindings.ContainsKey(bindingName)
                ? null
                : throw new InvalidOperationException($"{resource.Name} has no binding '{bindingName}'.");
        }

        var portText = port.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return property switch
        {
            "host" => new ValueTemplate([new ServicePart(resource.Name)]),
            "port" or "targetPort" => ValueTemplate.Literal(portText),
            "scheme" => ValueTemplate.Literal(port.Scheme),
            "url" => new ValueTemplate([new LiteralPart($"{port.Scheme}://"), new ServicePart(resource.Name), new LiteralPart(":" + portText)]),
            _ => throw new NotSupportedException($"The publisher cannot resolve {{{resource.Name}.bindings.{bindingName}.{property}}}."),
        };
    }

    private ValueTemplate? ResolveFiltered(ManifestResource resource, ISet<string> references)
    {
        var inner = Resolve(resource.Value ?? "", references);
        if (inner is null || resource.Filter is null)
        {
            return inner;
        }

        if (resource.Filter != "uri")
        {
            throw new NotSupportedException($"{resource.Name}: unknown filter '{resource.Filter}'.");
        }

        // Generated passwords are letters and digits and service names DNS labels, so they need no escaping; literals
        // are escaped here.
        return ValueTemplate.Concat(inner.Parts.Select(part => part switch
        {
            LiteralPart literal => new LiteralPart(Uri.EscapeDataString(literal.Text)),
            InputPart { Input.Generator: RandomPasswordGenerator } or ServicePart => part,
            _ => throw new NotSupportedException($"{resource.Name}: only generated passwords can be URI-encoded at deployment time."),
        }));
    }

    private DeploymentInput InputFor(ManifestResource parameter)
    {
        if (_inputs.TryGetValue(parameter.Name, out var known))
        {
            return known;
        }

        var manifestInput = parameter.Input ?? new ManifestInput(Secret: false, DefaultValue: null, GenerateMinLength: null);
        InputGenerator generator = manifestInput switch
        {
            { GenerateMinLength: { } minLength } => new RandomPasswordGenerator(Math.Max(minLength, 32)),
            { GeneratedKind: "p256-private-key" } => new EcPrivateKeyGenerator(),
            { GeneratedKind: "public-key-of", GeneratedFrom: { } source } => new PublicKeyOfGenerator(source),
            { GeneratedKind: { } kind } => throw new NotSupportedException(
                $"{parameter.Name}: the publisher cannot generate a value of kind '{kind}' (x-phase4-generate in the manifest)."),
            { DefaultValue: { } value } => new DefaultValueGenerator(value),
            _ => new OperatorSuppliedInput(),
        };
        var input = new DeploymentInput(parameter.Name, manifestInput.Secret, generator);
        _inputs[parameter.Name] = input;
        if (generator is PublicKeyOfGenerator derived && _resources.TryGetValue(derived.PrivateKeyParameter, out var privateKey))
        {
            InputFor(privateKey);
        }

        return input;
    }

    /// <summary>Database name per server, from <c>{server.connectionString};Database=name</c> resources.</summary>
    private static Dictionary<string, string> DatabasesByServer(IEnumerable<ManifestResource> resources)
    {
        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in resources.Where(r => r.ConnectionString is not null))
        {
            if (DatabaseConnectionString().Match(resource.ConnectionString!) is { Success: true } match
                && !databases.TryAdd(match.Groups["server"].Value, match.Groups["database"].Value))
            {
                throw new NotSupportedException($"{match.Groups["server"].Value}: the image can create only one database.");
            }
        }

        return databases;
    }

    /// <summary>Aspire names volumes "{app}-{hash of the AppHost path}-{resource}-{name}": keep the stable part.</summary>
    private static string VolumeName(string resource, string manifestName) =>
        HashedVolumeName().Match(manifestName) is { Success: true } match ? match.Groups["stable"].Value : manifestName;

    [GeneratedRegex(@"\{(?<resource>[A-Za-z0-9_-]+)\.(?<path>[A-Za-z0-9_.-]+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^\{(?<server>[A-Za-z0-9_-]+)\.connectionString\};Database=(?<database>[^;]+)$")]
    private static partial Regex DatabaseConnectionString();

    [GeneratedRegex(@"^.+-[0-9a-f]{10}-(?<stable>.+)$")]
    private static partial Regex HashedVolumeName();

}
