using System.Text.Json;
using System.Text.Json.Serialization;
using Npgsql;
using Phase4.Bench.Baseline;

// The least an ASP.NET Core endpoint can do for the task list: no auth, no EF Core, the same SQL through plain Npgsql
// and source-generated JSON. /health opens a connection, so start-to-ready includes reaching the database.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("tasksdb")
    ?? throw new InvalidOperationException("ConnectionStrings:tasksdb is required.")));
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));

var app = builder.Build();
app.MapGet("/health", async (NpgsqlDataSource db) =>
{
    await using var command = db.CreateCommand("SELECT 1");
    await command.ExecuteScalarAsync();
    return TypedResults.Text("Healthy");
});
app.MapGet("/api/{userId:guid}/tasks", async (Guid userId, int? limit, int? offset, NpgsqlDataSource db, CancellationToken cancellationToken) =>
{
    await using var command = db.CreateCommand(
        "SELECT id, user_id, title, description, completed, created_at, updated_at FROM tasks " +
        "WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3");
    command.Parameters.Add(new NpgsqlParameter { Value = userId });
    command.Parameters.Add(new NpgsqlParameter { Value = limit ?? 50 });
    command.Parameters.Add(new NpgsqlParameter { Value = offset ?? 0 });
    var tasks = new List<BaselineTask>();
    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
    while (await reader.ReadAsync(cancellationToken))
    {
        tasks.Add(new BaselineTask(reader.GetInt32(0), reader.GetGuid(1), reader.GetString(2),
            reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4),
            reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6)));
    }

    return TypedResults.Ok(tasks);
});
app.Run();

namespace Phase4.Bench.Baseline
{
    internal sealed record BaselineTask(
        int Id, Guid UserId, string Title, string? Description, bool Completed, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
    [JsonSerializable(typeof(List<BaselineTask>))]
    internal sealed partial class BaselineJson : JsonSerializerContext;
}
