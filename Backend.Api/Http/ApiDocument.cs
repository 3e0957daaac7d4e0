using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Phase4.Backend.Http;

/// <summary>
/// The OpenAPI description of every route (Microsoft.AspNetCore.OpenApi), served at <c>/openapi/v1.json</c> and
/// written at build time to <c>Backend.Api/openapi/v1.json</c> (committed; the frontend's types are generated from it).
/// Bodies are snake_case as on the wire (the API's own JSON options), errors are ProblemDetails, and routes that need a
/// token say so with the <c>bearer</c> security scheme. The interactive reference (Scalar) is at <c>/scalar/v1</c>
/// when <c>ApiReference:Enabled</c> is true (the default in Development; the AppHost turns it on).
/// </summary>
public static class ApiDocument
{
    public const string Name = "v1";
    public const string BearerScheme = "bearer";

    /// <summary>
    /// True while the build runs the app only to write its OpenAPI document (Microsoft.Extensions.ApiDescription.Server
    /// starts it under GetDocument.Insider), when there is no key or database to configure.
    /// </summary>
    public static bool IsBuildTimeGeneration { get; } =
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static WebApplicationBuilder AddApiDocument(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(Name, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Phase4 API",
                    Version = "v1",
                    Description = "Tasks, chat and accounts. Errors are RFC 9457 problem details; see docs/security.md for limits.",
                };
                // The same document whoever asks and wherever it is built: clients resolve paths against their own origin.
                document.Servers = [];
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access_token of POST /api/auth/login (the web app's frontend server sends it for you).",
                };
                return Task.CompletedTask;
            });
            // The web JSON defaults also read numbers from strings, so the generator describes every number as
            // "integer or numeric string". The API writes numbers, and clients should send them: describe just that.
            options.AddSchemaTransformer((schema, _, _) =>
            {
                if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0
                    && (type & JsonSchemaType.String) != 0)
                {
                    schema.Type = type & ~JsonSchemaType.String;
                    schema.Pattern = null;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                DescribeUnboundRouteParameters(operation, context.Description.RelativePath);
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
                    });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// Route parameters no handler binds (<c>{user_id}</c> is checked by the owner-only filter) are still part of the
    /// path: OpenAPI requires every one to be described.
    /// </summary>
    private static void DescribeUnboundRouteParameters(OpenApiOperation operation, string? relativePath)
    {
        foreach (var name in RouteParameters(relativePath ?? string.Empty))
        {
            operation.Parameters ??= [];
            if (operation.Parameters.Any(p => p.In == ParameterLocation.Path && p.Name == name))
            {
                continue;
            }

            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = name == "user_id"
                    ? "The signed-in user's id (the token's sub, a lowercase GUID); any other id is answered 403."
                    : null,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = name == "user_id" ? "uuid" : null },
            });
        }
    }

    private static IEnumerable<string> RouteParameters(string path) =>
        path.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s.Trim('{', '}').Split(':', '?', '=')[0]);

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Configuration.GetValue("ApiReference:Enabled", app.Environment.IsDevelopment()))
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
