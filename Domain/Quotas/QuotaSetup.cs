using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Phase4.Domain.Quotas;

public static class QuotaSetup
{
    /// <summary>Binds <see cref="QuotaOptions"/> from its section and refuses to start with a value below 1.</summary>
    public static IServiceCollection AddQuotas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuotaOptions>()
            .Bind(configuration.GetSection(QuotaOptions.SectionName))
            .Validate(o => o.IsValid(), QuotaOptions.ValidationMessage)
            .ValidateOnStart();
        return services;
    }
}
