using Phase4.Domain.Data;
using Phase4.Domain.Quotas;
using Phase4.Domain.Tasks;
using Phase4.Mcp.Limits;
using Phase4.Mcp.Security;
using Phase4.Mcp.Tools;
using Phase4.ServiceDefaults.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAdmission();

// The same database setup, readiness and task rules as the REST API; the migrator owns the schema.
builder.AddTodoDatabase();
builder.AddDatabaseReadiness(Extensions.StartedTag);
builder.Services.AddScoped<TaskService>();
builder.Services.AddQuotas(builder.Configuration);

builder.AddOriginPolicy();
builder.AddMcpAuthentication();
builder.AddMcpLimits();

builder.Services.AddSingleton<IWarmUp, ToolWarmUp>();
builder.Services.AddMcpServer(options => options.ServerInfo = new() { Name = "phase4-tasks", Version = "1.0.0" })
    // Stateless: no session lives in memory, so any replica can answer any request.
    .WithHttpTransport(options => options.Stateless = true)
    .WithTools<TaskTools>(ToolJson.Options)
    .WithRequestFilters(filters => filters
        .AddCallToolFilter(WarmUpFilter.Wrap)
        .AddCallToolFilter(InvalidArgumentsFilter.Wrap)
        .AddCallToolFilter(ClaimedUserFilter.Wrap));

var app = builder.Build();

// Fail at start-up, not on the first request, when Jwt:PublicKey is missing or not a key.
_ = app.Services.GetRequiredService<JwtValidationKey>();

app.MapDefaultEndpoints();
// Past capacity (sized from the database pool) a tool call is refused with 503 and Retry-After before any work.
app.UseAdmission("/mcp");
app.UseOriginPolicy();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseMcpLimits();

app.MapMcp("/mcp")
    .RequireAuthorization(McpAuthentication.PolicyName)
    .RequireCors(OriginPolicy.CorsPolicyName)
    .WithRequestTimeout(McpLimits.TimeoutPolicy);

app.Run();
