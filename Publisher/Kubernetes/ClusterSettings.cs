using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The settings a cluster deployment states that the AppHost leaves to the services' defaults, so operators find
/// them in one ConfigMap (or chart value) to change: the chat model, the default log level, the proxies the services
/// believe, and with the dashboard where telemetry goes. Settings the AppHost states for a deployment to decide (the
/// MCP server's allowed origins, the frontend's public origin and trust in a proxy) come from the manifest; the
/// production settings and the chart's values fill them in by their names.
/// </summary>
internal static class ClusterSettings
{
    public const string DefaultLogLevel = "Information";

    /// <summary>The MCP server's browser origins (comma-separated).</summary>
    public const string AllowedOriginsKey = "Mcp__AllowedOrigins";

    /// <summary>The proxies (addresses, CIDR ranges) whose X-Forwarded-For the Node frontend believes.</summary>
    public const string TrustedProxiesKey = "TRUSTED_PROXIES";

    /// <summary>
    /// The namespaces an Ingress controller commonly runs in (ingress-nginx's chart and Minikube's addon, older
    /// addons and k3s's Traefik in kube-system, Traefik's chart, NGINX Inc.'s chart, HAProxy's, Contour's): with the
    /// Ingress, only pods there may reach the frontend, so only they can hand it an X-Forwarded-For.
    /// </summary>
    public static readonly string[] IngressControllerNamespaces =
        ["ingress-nginx", "kube-system", "traefik", "nginx-ingress", "haproxy-controller", "projectcontour"];

    /// <summary>Where browsers and MCP clients reach the Node frontend (its X-Forwarded-Host, its cookie's prefix).</summary>
    public const string PublicOriginKey = "PUBLIC_ORIGIN";

    /// <summary>The networks whose X-Forwarded-* the .NET services believe (ServiceDefaults, docs/security.md).</summary>
    public const string KnownNetworksKey = "ForwardedHeaders__KnownNetworks";

    /// <summary>
    /// The private address ranges (RFC 1918, RFC 4193): the pod network of any cluster and Compose's bridge networks lie
    /// in them. Believing a forwarded address from them is safe here because the NetworkPolicies let only the frontend
    /// reach the services that read it; narrow it to your pod CIDR (the chart's value) where other pods could.
    /// </summary>
    public const string PrivateNetworks = "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fd00::/8";

    /// <summary>
    /// Aspire's manifest turns ASP.NET Core's own forwarded-headers handling on for every project (it believes any
    /// sender); the services name their proxies with <see cref="KnownNetworksKey"/> instead, so it is left out.
    /// </summary>
    public const string AspNetCoreForwardedHeaders = "ASPNETCORE_FORWARDEDHEADERS_ENABLED";

    /// <summary>
    /// What a .NET service that takes requests needs to believe its proxy, the frontend, in Kubernetes: the pod network,
    /// which its NetworkPolicy narrows to the workloads that reference it (the frontend; the backend, whose MCP calls
    /// carry no X-Forwarded-For).
    /// </summary>
    public static IEnumerable<EnvironmentVariable> ForwardingSettings(Workload workload) =>
        workload.IsDotNetProject && workload.Ports.Count > 0 ? [Literal(KnownNetworksKey, PrivateNetworks)] : [];

    /// <summary>The proxies whose X-Forwarded-* the .NET services believe, by address or host name.</summary>
    public const string KnownProxiesKey = "ForwardedHeaders__KnownProxies";

    /// <summary>
    /// The same in Compose, which has no NetworkPolicies: the entry point itself, by its service name (the services
    /// look it up again every few seconds), so no other container, nor the host through the bridge, is believed.
    /// </summary>
    public static IEnumerable<EnvironmentVariable> ComposeForwardingSettings(Workload workload, string? entryPoint) =>
        workload.IsDotNetProject && workload.Ports.Count > 0 && entryPoint is not null && entryPoint != workload.Name
            ? [Literal(KnownProxiesKey, entryPoint)]
            : [];

    /// <summary>The operator's key for the openai provider, from the environment variable <c>AI_API_KEY</c> at apply.</summary>
    public static readonly DeploymentInput AiApiKey = new("ai-api-key", Secret: true, new OperatorSuppliedInput());

    /// <summary>The settings a chart value may change (the others follow from the model and the NetworkPolicies).</summary>
    public static readonly string[] Tunable = ["AI__Endpoint", "AI__Model", "Logging__LogLevel__Default", AllowedOriginsKey, KnownNetworksKey];

    public static (IReadOnlyList<Workload> Workloads, IReadOnlyList<DeploymentInput> Inputs) Apply(
        DeploymentModel model, KubernetesOptions options, RepositoryLayout repository)
    {
        var database = WorkloadKinds.DatabaseOf(model.Workloads);
        var budget = ConnectionBudget.Of(model.Workloads, database, options).EnsureFits();
        var workloads = model.Workloads.Select(workload => workload with
        {
            Environment =
            [
                .. workload.Environment.Where(v => v.Name is not ("AI__Provider" or AspNetCoreForwardedHeaders)),
                .. Added(workload, options),
                .. ConnectionBudget.Pools(workload, database) ? [Literal(ConnectionBudget.PoolSizeKey, budget.PoolSizeText)] : Array.Empty<EnvironmentVariable>(),
            ],
            // Stated, not the image's default: the pools above are sized to it.
            Args = workload.Name == database
                ? [.. workload.Args, ValueTemplate.Literal("-c"), ValueTemplate.Literal(ConnectionBudget.MaxConnectionsArgument + options.DatabaseMaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture))]
                : workload.Args,
            DependsOn = options.IncludeDashboard && workload.IsBuiltHere ? [.. workload.DependsOn, AspireDashboard.Name] : workload.DependsOn,
        }).ToList();
        var inputs = model.Inputs.ToList();
        if (options.IncludeDashboard)
        {
            workloads.Add(AspireDashboard.Workload(repository));
            inputs.AddRange([AspireDashboard.BrowserToken, AspireDashboard.OtlpApiKey]);
        }

        if (options.UsesOpenAI && model.Workloads.Any(UsesChatModel))
        {
            inputs.Add(AiApiKey);
        }

        return (workloads, inputs.OrderBy(input => input.ParameterName, StringComparer.Ordinal).ToList());
    }

    private static bool UsesChatModel(Workload workload) => workload.Environment.Any(variable => variable.Name == "AI__Provider");

    private static IEnumerable<EnvironmentVariable> Added(Workload workload, KubernetesOptions options)
    {
        if (UsesChatModel(workload))
        {
            yield return Literal("AI__Provider", options.AiProvider);
            // Empty values are unset to the backend: the builtin provider needs neither.
            yield return Literal("AI__Endpoint", options.AiEndpoint);
            yield return Literal("AI__Model", options.AiModel);
            if (options.UsesOpenAI)
            {
                yield return new EnvironmentVariable("AI__ApiKey", new ValueTemplate([new InputPart(AiApiKey)]));
            }
        }

        if (workload.IsDotNetProject)
        {
            yield return Literal("Logging__LogLevel__Default", DefaultLogLevel);
            foreach (var setting in ForwardingSettings(workload))
            {
                // The services take requests from the frontend, which forwards the client's address.
                yield return setting;
            }
        }

        if (workload.IsBuiltHere && options.IncludeDashboard)
        {
            // Every image built here exports OTLP when told where (ServiceDefaults; the frontend's Node SDK).
            foreach (var setting in AspireDashboard.ExporterSettings(workload))
            {
                yield return setting;
            }
        }

    }

    private static EnvironmentVariable Literal(string name, string value) => new(name, ValueTemplate.Literal(value));
}
