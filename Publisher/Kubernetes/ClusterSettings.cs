using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The settings a cluster deployment states that the AppHost leaves to the services' defaults, so operators find
/// them in one ConfigMap (or chart value) to change: the chat model, the default log level, the MCP server's allowed
/// browser origins, whether the frontend trusts a proxy, and with the dashboard where telemetry goes.
/// </summary>
internal static class ClusterSettings
{
    /// <summary>The AppHost resource that reads <c>Mcp:AllowedOrigins</c> (resource names are a team contract).</summary>
    public const string McpServerName = "mcpserver";

    public const string DefaultLogLevel = "Information";

    /// <summary>The MCP server's browser origins (comma-separated).</summary>
    public const string AllowedOriginsKey = "Mcp__AllowedOrigins";

    /// <summary>Whether the Node frontend believes X-Forwarded-For.</summary>
    public const string TrustProxyKey = "TRUST_PROXY";

    /// <summary>The operator's key for the openai provider, from the environment variable <c>AI_API_KEY</c> at apply.</summary>
    public static readonly DeploymentInput AiApiKey = new("ai-api-key", Secret: true, new OperatorSuppliedInput());

    /// <summary>The settings a chart value may change (the others follow from the model and the NetworkPolicies).</summary>
    public static readonly string[] Tunable = ["AI__Endpoint", "AI__Model", "Logging__LogLevel__Default", "Mcp__AllowedOrigins"];

    public static (IReadOnlyList<Workload> Workloads, IReadOnlyList<DeploymentInput> Inputs) Apply(
        DeploymentModel model, KubernetesOptions options, RepositoryLayout repository)
    {
        var workloads = model.Workloads.Select(workload => workload with
        {
            Environment = [.. workload.Environment.Where(v => v.Name != "AI__Provider"), .. Added(workload, options)],
            DependsOn = options.IncludeDashboard && workload.IsDotNetProject ? [.. workload.DependsOn, AspireDashboard.Name] : workload.DependsOn,
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
            if (options.IncludeDashboard)
            {
                foreach (var setting in AspireDashboard.ExporterSettings(workload))
                {
                    yield return setting;
                }
            }
        }

        if (workload.Name == McpServerName)
        {
            // No browser origin by default: MCP SDK clients send none; add the origins of browser-based MCP clients.
            yield return Literal(AllowedOriginsKey, "");
        }

        if (workload.IsBuiltHere && !workload.IsDotNetProject)
        {
            // The Node frontend: X-Forwarded-For is the client's address only behind a proxy that sets it (the
            // production Ingress); behind a NodePort anyone could write it, so the base does not trust it.
            yield return Literal(TrustProxyKey, "false");
        }
    }

    private static EnvironmentVariable Literal(string name, string value) => new(name, ValueTemplate.Literal(value));
}
