using Microsoft.Extensions.Options;

namespace Phase4.Mcp.Security;

/// <summary>
/// Refuses, with 403, any request whose <c>Origin</c> header is not an allowed origin, as the MCP transport
/// specification requires against DNS rebinding. Requests without an <c>Origin</c> pass.
/// </summary>
public static class OriginPolicy
{
    public const string CorsPolicyName = "mcp-browser-clients";

    public static IHostApplicationBuilder AddOriginPolicy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<McpOptions>()
            .Bind(builder.Configuration.GetSection(McpOptions.SectionName))
            .Validate(o => AllowedOrigins.TryParse(o.AllowedOrigins, out _) is not null,
                "Mcp:AllowedOrigins must be a comma-separated list of http(s) origins such as http://localhost:5173.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp =>
            AllowedOrigins.TryParse(sp.GetRequiredService<IOptions<McpOptions>>().Value.AllowedOrigins, out _)!);

        // Browsers on an allowed origin also need CORS to read the responses.
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<AllowedOrigins>((cors, allowed) => cors.AddPolicy(CorsPolicyName, policy => policy
                .WithOrigins([.. allowed.Values])
                .WithMethods("GET", "POST", "DELETE")
                .WithHeaders("Authorization", "Content-Type", "Accept", "Mcp-Protocol-Version", "Mcp-Session-Id", "Last-Event-ID")
                .WithExposedHeaders("WWW-Authenticate", "Mcp-Session-Id")));
        return builder;
    }

    /// <summary>Runs before authentication, so a foreign page learns nothing, not even whether its token is valid.</summary>
    public static IApplicationBuilder UseOriginPolicy(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var origin = context.Request.Headers.Origin;
            if (origin.Count > 0 && !context.RequestServices.GetRequiredService<AllowedOrigins>().Allows(origin.ToString()))
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "Origin not allowed",
                    detail: "This origin may not call the MCP server; add it to Mcp:AllowedOrigins to allow it.")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
}
