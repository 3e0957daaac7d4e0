extern alias backend;

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// The API contract: Backend.Api's build writes its OpenAPI document to Backend.Api/openapi/v1.json (committed), the
/// running backend serves the same at /openapi/v1.json, an independent validator accepts it, every route the app maps
/// is in it, and the frontend's types (Frontend/src/api/schema.d.ts) are exactly what openapi-typescript makes of it.
/// </summary>
[Collection(SharedBackend.Name)]
public sealed class OpenApiDocumentTests(BackendFixture backend)
{
    private const string DocumentPath = "Backend.Api/openapi/v1.json";
    private const string FrontendTypesPath = "Frontend/src/api/schema.d.ts";
    private static readonly NodePackage OpenApiTools = new(Path.Combine("tools", "openapi"), "openapi-typescript");

    /// <summary>Maps that are infrastructure, not API: probes and the documents themselves.</summary>
    private static readonly string[] NotApiRoutes = ["/health", "/alive", "/started", "/openapi/{documentName}.json"];

    private static string Committed(string path) => Path.Combine(RepositoryRoot.Folder, path);

    [Fact]
    public async Task The_backend_serves_the_committed_document()
    {
        using var client = backend.CreateClient();
        var served = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(Committed(DocumentPath))), served),
            $"{DocumentPath} differs from what the backend serves: build Backend.Api (it rewrites the file) and commit it.");
    }

    [Fact]
    public async Task The_committed_document_and_frontend_types_are_what_the_build_wrote()
    {
        // The build rewrites the document; a stale commit shows up as a change in the working tree.
        var git = new NodePackage(".", "none"); // the repository root, where git runs
        var changed = await git.RunAsync("git", ["status", "--porcelain", "--", DocumentPath, FrontendTypesPath]);
        Assert.True(changed.Length == 0,
            $"Stale or uncommitted API contract:\n{changed}Build Backend.Api, run `npm run api:types` in Frontend/, and commit both files.");
    }

    [Fact]
    public async Task An_independent_validator_accepts_the_document()
    {
        await OpenApiTools.EnsureInstalledAsync();
        var output = await OpenApiTools.RunAsync("node", ["openapi.mjs", "validate", Committed(DocumentPath)]);
        Assert.Contains("valid", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_frontend_types_are_generated_from_the_document()
    {
        await OpenApiTools.EnsureInstalledAsync();
        var generated = Path.Combine(Path.GetTempPath(), $"phase4-schema-{Guid.NewGuid():N}.d.ts");
        try
        {
            await OpenApiTools.RunAsync("node", ["openapi.mjs", "generate", Committed(DocumentPath), generated]);
            Assert.True(await File.ReadAllTextAsync(generated) == await File.ReadAllTextAsync(Committed(FrontendTypesPath)),
                $"{FrontendTypesPath} is stale: run `npm run api:types` in Frontend/ and commit it.");
        }
        finally
        {
            File.Delete(generated);
        }
    }

    [Fact]
    public async Task Every_route_the_app_maps_is_in_the_document()
    {
        using var keys = new TestKeys();
        await using var app = new WebApplicationFactory<backend::Program>().WithWebHostBuilder(host => host
            .UseEnvironment("Production")
            .UseSetting("ConnectionStrings:tasksdb", "Host=127.0.0.1;Port=1;Database=none")
            .UseSetting("Jwt:SigningKey", keys.PrivateKeyPem));
        var mapped = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => !NotApiRoutes.Contains("/" + endpoint.RoutePattern.RawText?.TrimStart('/')))
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                // A group's "" route keeps the group's trailing slash; the router matches either spelling.
                .Select(method => $"{method.ToLowerInvariant()} /{endpoint.RoutePattern.RawText!.Trim('/')}"))
            .ToList();
        var document = JsonNode.Parse(await File.ReadAllTextAsync(Committed(DocumentPath)))!;
        var described = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Select(operation => $"{operation.Key} {path.Key}"))
            .ToHashSet();

        var undescribed = mapped.Where(route => !described.Contains(route)).ToList();
        var unmapped = described.Where(route => !mapped.Contains(route)).ToList();

        Assert.NotEmpty(mapped);
        Assert.True(undescribed.Count == 0, "Mapped but not in the document: " + string.Join(", ", undescribed));
        Assert.True(unmapped.Count == 0, "In the document but not mapped: " + string.Join(", ", unmapped));
    }
}
