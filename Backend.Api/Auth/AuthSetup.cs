using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Phase4.Backend.Http;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;
using Phase4.SigningKeys;

namespace Phase4.Backend.Auth;

public static class AuthSetup
{
    /// <summary>
    /// Token signing and validation (REST audience, signed-out tokens refused), accounts and sign-in throttling. Outside Development a valid
    /// <c>Jwt:SigningKey</c> is required at start-up; in Development a missing one is replaced by an ephemeral key.
    /// </summary>
    public static WebApplicationBuilder AddAuth(this WebApplicationBuilder builder)
    {
        if ((builder.Environment.IsDevelopment() || ApiDocument.IsBuildTimeGeneration)
            && string.IsNullOrWhiteSpace(builder.Configuration["Jwt:SigningKey"]))
        {
            var (privateKey, publicKey) = JwtKeys.CreateKeyPair();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Jwt:SigningKey"] = privateKey,
                ["Jwt:PublicKey"] = publicKey,
            });
            builder.Services.AddHostedService<EphemeralKeyWarning>();
        }

        builder.AddJwtValidation(jwt => jwt.Audience);
        builder.Services.AddSingleton<IValidateOptions<JwtOptions>, SigningKeyValidation>();
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<TokenSigningKey>();
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddScoped<AccountTokens>();
        builder.Services.AddSingleton<ITokenRevocationCheck, SignedOutTokenCheck>();

        builder.Services.AddOptions<SignInThrottleOptions>()
            .Bind(builder.Configuration.GetSection(SignInThrottleOptions.SectionName))
            .Validate(o => o.IsValid(),
                "SignInThrottle: FreeFailures must be at least 1, 0 < BaseLockout <= MaxLockout <= ForgetAfter, and 0 < DeviceTokenLifetime <= 400 days.")
            .ValidateOnStart();
        builder.Services.Configure<PasswordHasherOptions>(options => options.IterationCount = PasswordHashing.Iterations);
        builder.Services.AddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton<DeviceTokens>();
        builder.Services.AddScoped<AccountService>();
        return builder;
    }
}

/// <summary>Says loudly that tokens will not survive a restart when Development runs without a configured key.</summary>
internal sealed partial class EphemeralKeyWarning(ILogger<EphemeralKeyWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogEphemeralKey(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Jwt:SigningKey is not set: using an ephemeral development key. Tokens will not survive a restart " +
                  "and other services must read the key from /.well-known/jwks.json.")]
    private static partial void LogEphemeralKey(ILogger logger);
}
