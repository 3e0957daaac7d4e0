using Microsoft.AspNetCore.Authentication;
using ModelContextProtocol.AspNetCore.Authentication;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Mcp.Security;

/// <summary>
/// Bearer JWTs issued by Backend.Api for the MCP audience, refused once revoked (<see cref="McpTokenVersionCheck"/>).
/// Unauthenticated requests get 401 with
/// <c>WWW-Authenticate: Bearer resource_metadata="…"</c> pointing at the protected resource metadata
/// (<c>/.well-known/oauth-protected-resource/mcp</c>), as the MCP authorization specification asks.
/// </summary>
public static class McpAuthentication
{
    public const string PolicyName = "mcp-user";

    public static IHostApplicationBuilder AddMcpAuthentication(this IHostApplicationBuilder builder)
    {
        builder.AddJwtValidation(jwt => jwt.McpAudience)
            .AddMcp(options => options.ResourceMetadata = new()
            {
                ResourceName = "Phase4 tasks (MCP)",
                BearerMethodsSupported = ["header"],
            });

        // JwtBearer authenticates; the MCP handler answers challenges so the 401 names the resource metadata.
        builder.Services.Configure<AuthenticationOptions>(options =>
            options.DefaultChallengeScheme = McpAuthenticationDefaults.AuthenticationScheme);

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PolicyName, policy => policy
                .RequireAuthenticatedUser()
                .RequireAssertion(context => context.User.GetUserId() != Guid.Empty));

        builder.Services.AddScoped<AccountTokens>();
        builder.Services.AddSingleton<ITokenRevocationCheck, McpTokenVersionCheck>();

        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ActingUser>();
        return builder;
    }
}
