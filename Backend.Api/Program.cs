using Phase4.Backend.Auth;
using Phase4.Backend.Chat;
using Phase4.Backend.Database;
using Phase4.Backend.Http;
using Phase4.Backend.RateLimiting;
using Phase4.Backend.Tasks;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddHttpApi();
builder.AddApiDocument();
builder.AddDatabase();
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
