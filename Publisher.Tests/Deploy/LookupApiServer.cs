using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Phase4.Tests.Deploy;

/// <summary>
/// A stand-in Kubernetes API server for the reads <c>helm template --dry-run=server</c> makes, so the chart's
/// <c>lookup</c> gets what a cluster would return (Helm docs, "Using the lookup function": "the lookup function
/// returns … the object", and returns an empty map when the object is not found): the discovery documents client-go
/// reads first (<c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/api/v1</c>, <c>/apis/GROUP/VERSION</c>, legacy JSON form),
/// the objects a test stores, 404 with a <c>Status</c> for any other object, and empty lists for collections (Helm's
/// release storage: Secrets labelled <c>owner=helm</c>). Only reads: anything else is 405.
/// </summary>
internal sealed class LookupApiServer : IAsyncDisposable
{
    private static readonly (string Group, string Version, (string Name, string Kind)[] Resources)[] Groups =
    [
        ("", "v1", [("secrets", "Secret"), ("configmaps", "ConfigMap"), ("services", "Service"), ("namespaces", "Namespace"), ("persistentvolumeclaims", "PersistentVolumeClaim")]),
        ("apps", "v1", [("statefulsets", "StatefulSet"), ("deployments", "Deployment")]),
        ("batch", "v1", [("jobs", "Job"), ("cronjobs", "CronJob")]),
        ("networking.k8s.io", "v1", [("networkpolicies", "NetworkPolicy"), ("ingresses", "Ingress")]),
        ("policy", "v1", [("poddisruptionbudgets", "PodDisruptionBudget")]),
        ("autoscaling", "v2", [("horizontalpodautoscalers", "HorizontalPodAutoscaler")]),
    ];

    private readonly ConcurrentDictionary<string, JsonNode> _objects = new(StringComparer.Ordinal);

    private readonly WebApplication _app;

    private LookupApiServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public static async Task<LookupApiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new LookupApiServer(app);
        app.Run(server.AnswerAsync);
        await app.StartAsync();
        server.Url = app.Urls.Single();
        return server;
    }

    /// <summary>Stores an object (as JSON) the way the API server would return it to a GET.</summary>
    public void Store(JsonNode item)
    {
        var apiVersion = item["apiVersion"]!.GetValue<string>();
        var kind = item["kind"]!.GetValue<string>();
        var group = Groups.Single(g => (g.Group.Length == 0 ? g.Version : $"{g.Group}/{g.Version}") == apiVersion);
        var resource = group.Resources.Single(r => r.Kind == kind).Name;
        _objects[$"{Prefix(group.Group, group.Version)}/namespaces/{item["metadata"]!["namespace"]!.GetValue<string>()}/{resource}/{item["metadata"]!["name"]!.GetValue<string>()}"] = item.DeepClone();
    }

    private static string Prefix(string group, string version) => group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimEnd('/');
        context.Response.ContentType = "application/json";
        if (context.Request.Method != "GET")
        {
            context.Response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
            return;
        }

        JsonNode? answer = path switch
        {
            "/version" => new JsonObject { ["major"] = "1", ["minor"] = "35", ["gitVersion"] = "v1.35.0", ["platform"] = "linux/amd64" },
            "/api" => new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray() },
            "/apis" => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(Groups.Where(g => g.Group.Length > 0).Select(g => (JsonNode)new JsonObject
                {
                    ["name"] = g.Group,
                    ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{g.Group}/{g.Version}", ["version"] = g.Version }),
                    ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{g.Group}/{g.Version}", ["version"] = g.Version },
                }).ToArray()),
            },
            _ => null,
        };
        answer ??= Groups.Where(g => Prefix(g.Group, g.Version) == path).Select(g => (JsonNode)new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = g.Group.Length == 0 ? g.Version : $"{g.Group}/{g.Version}",
            ["resources"] = new JsonArray(g.Resources.Select(r => (JsonNode)new JsonObject
            {
                ["name"] = r.Name,
                ["singularName"] = r.Kind.ToLowerInvariant(),
                ["namespaced"] = r.Kind != "Namespace",
                ["kind"] = r.Kind,
                ["verbs"] = new JsonArray("get", "list"),
            }).ToArray()),
        }).FirstOrDefault();
        answer ??= _objects.TryGetValue(path, out var stored) ? stored : null;
        if (answer is null && IsCollection(path))
        {
            answer = new JsonObject { ["kind"] = "List", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["items"] = new JsonArray() };
        }

        if (answer is null)
        {
            context.Response.StatusCode = (int)HttpStatusCode.NotFound;
            answer = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "NotFound", ["code"] = 404, ["message"] = $"{path} not found" };
        }

        await context.Response.WriteAsync(answer.ToJsonString());
    }

    /// <summary>A collection: a known resource's path with no object name after it.</summary>
    private static bool IsCollection(string path) => Groups.Any(g => g.Resources.Any(r =>
        path.StartsWith(Prefix(g.Group, g.Version) + "/", StringComparison.Ordinal) && path.EndsWith("/" + r.Name, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
