using Phase4.Backend.Auth;
using Phase4.Backend.Chat;
using Phase4.Backend.Database;
using Phase4.Backend.Http;
using Phase4.Backend.RateLimiting;
using Phase4.Backend.Tasks;
using Phase4.Domain.Data;

if (MigrationCommand.IsRequested(args))
{
    return await MigrationCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAdmission();
builder.AddHttpApi();
builder.AddApiDocument();
builder.AddTodoDatabase();
builder.AddDatabaseReadiness(Extensions.StartedTag);
builder.AddAuth();
builder.AddRateLimits();
builder.AddTasks();
builder.AddChat();

var app = builder.Build();
app.MapDefaultEndpoints();
app.UseHttpApi();
app.MapApiDocument();
app.MapAuthEndpoints();
app.MapTaskEndpoints();
app.MapChatEndpoints();
app.Run();
return 0;
