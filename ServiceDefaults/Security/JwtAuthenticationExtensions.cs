using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Phase4.SigningKeys;

namespace Phase4.ServiceDefaults.Security;

public static class JwtAuthenticationExtensions
{
    /// <summary>
    /// Adds JWT bearer validation for tokens issued by Backend.Api for the audience <paramref name="audience"/> picks.
    /// The validation key is <c>Jwt:PublicKey</c>, else the public half of <c>Jwt:SigningKey</c>; the service
    /// refuses to start when neither is a valid key. The clock is the one <c>AddServiceDefaults</c> registers.
    /// </summary>
    public static AuthenticationBuilder AddJwtValidation(
        this IHostApplicationBuilder builder, Func<JwtOptions, string> audience)
    {
        builder.Services.AddOptions<JwtOptions>()
            .Bind(builder.Configuration.GetSection(JwtOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer) && !string.IsNullOrWhiteSpace(o.Audience) && !string.IsNullOrWhiteSpace(o.McpAudience),
                "Jwt:Issuer, Jwt:Audience and Jwt:McpAudience cannot be empty.")
            .Validate(o => o.AccessTokenLifetime > TimeSpan.Zero && o.McpTokenLifetime > TimeSpan.Zero && o.AgentTokenLifetime > TimeSpan.Zero,
                "Jwt token lifetimes must be positive.")
            .Validate(o => o.RevocationCheckInterval >= TimeSpan.Zero && o.RevocationCheckInterval <= JwtOptions.MaxRevocationCheckInterval,
                "Jwt:RevocationCheckInterval must be between 0 and 30 seconds.")
            .ValidateOnStart();

        builder.Services.AddSingleton<JwtValidationKey>();
        builder.Services.AddSingleton<RevocationCache>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, JwtValidationKey, TimeProvider>((bearer, jwt, key, time) =>
            {
                bearer.MapInboundClaims = false;
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(new CachingJsonWebTokenHandler(time));
                bearer.RequireHttpsMetadata = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = audience(jwt.Value),
                    IssuerSigningKey = key.Key,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = JwtOptions.ClockSkew,
                    NameClaimType = JwtRegisteredClaimNames.Sub,
                };

                // Runs on every request, after the (possibly cached) validation: revocation is never cached past the
                // revocation cache's own interval.
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        if (context.HttpContext.RequestServices.GetService<ITokenRevocationCheck>() is { } check
                            && await check.RefusalAsync(context.Principal!, context.HttpContext) is { } refusal)
                        {
                            context.Fail(refusal);
                        }
                    },
                };
            });

        return builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
    }
}

/// <summary>The key tokens are validated with, loaded once from configuration.</summary>
public sealed class JwtValidationKey
{
    public JwtValidationKey(IOptions<JwtOptions> options)
    {
        var jwt = options.Value;
        if (!string.IsNullOrWhiteSpace(jwt.PublicKey))
        {
            Key = JwtKeys.LoadPublicKey(jwt.PublicKey);
        }
        else if (!string.IsNullOrWhiteSpace(jwt.SigningKey))
        {
            Key = JwtKeys.ToPublic(JwtKeys.LoadPrivateKey(jwt.SigningKey));
        }
        else
        {
            throw new OptionsValidationException(JwtOptions.SectionName, typeof(JwtOptions),
                ["No token key is configured: set Jwt__PublicKey (PEM) or, on the issuer, Jwt__SigningKey."]);
        }
    }

    public AsymmetricSecurityKey Key { get; }
}
