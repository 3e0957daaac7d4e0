using Phase4.Domain.Quotas;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Tasks;

public static class TaskSetup
{
    public static WebApplicationBuilder AddTasks(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TaskService>();
        builder.Services.AddQuotas(builder.Configuration);
        return builder;
    }
}
