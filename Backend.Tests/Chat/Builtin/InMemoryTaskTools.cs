using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Phase4.Tests.Chat.Builtin;

/// <summary>
/// A test double of the MCP tool server: the five tools as <see cref="AIFunction"/>s over an in-memory list, returning
/// what <c>McpClientTool</c> hands the function-invocation loop — a <see cref="TextContent"/> for plain results, the
/// <c>CallToolResult</c> JSON envelope for structured results (<c>list_tasks</c>) and for tool errors.
/// </summary>
public sealed class InMemoryTaskTools
{
    private readonly List<StoredTask> _tasks = [];
    private int _nextId = 1;

    public sealed record StoredTask(int Id, string Title, string? Description, bool Completed);

    public sealed record ToolCall(string Name, JsonObject Arguments);

    public List<ToolCall> Calls { get; } = [];

    public IReadOnlyList<StoredTask> Tasks => _tasks;

    public IList<AITool> Tools =>
    [
        new Tool("add_task", "Create a task.", this, AddTask),
        new Tool("list_tasks", "List tasks by status: all, pending or completed.", this, args => ListTasks(args)),
        new Tool("complete_task", "Mark a task completed.", this, args => Change(args, "completed", t => t with { Completed = true })),
        new Tool("delete_task", "Delete a task.", this, DeleteTask),
        new Tool("update_task", "Change a task's title or description.", this, UpdateTask),
    ];

    /// <summary>Seeds a task as if created earlier; ids are assigned in order, like the database does.</summary>
    public StoredTask Seed(string title, bool completed = false, string? description = null)
    {
        var task = new StoredTask(_nextId++, title, description, completed);
        _tasks.Add(task);
        return task;
    }

    /// <summary>Leaves a gap in the ids, like tasks another user created in between.</summary>
    public void SkipIds(int count) => _nextId += count;

    public StoredTask? Get(int id) => _tasks.Find(t => t.Id == id);

    private object AddTask(JsonObject args)
    {
        var title = args["title"]?.GetValue<string>()?.Trim();
        if (string.IsNullOrEmpty(title) || title.Length > 200)
        {
            return Error("The title is required and must be at most 200 characters.");
        }

        var task = Seed(title, description: args["description"]?.GetValue<string>());
        return Text(new JsonObject { ["task_id"] = task.Id, ["status"] = "created", ["title"] = task.Title });
    }

    private JsonElement ListTasks(JsonObject args)
    {
        var status = args["status"]?.GetValue<string>() ?? "all";
        var selected = _tasks
            .Where(t => status switch { "pending" => !t.Completed, "completed" => t.Completed, _ => true })
            .OrderByDescending(t => t.Id)
            .Select(t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["title"] = t.Title,
                ["description"] = t.Description,
                ["completed"] = t.Completed,
                ["created_at"] = "2025-01-01T00:00:00Z",
            })
            .ToArray();
        var array = new JsonArray(selected);
        return Envelope(array.ToJsonString(), new JsonObject { ["tasks"] = array.DeepClone() });
    }

    private object DeleteTask(JsonObject args) =>
        Change(args, "deleted", t =>
        {
            _tasks.Remove(t);
            return null;
        });

    private object UpdateTask(JsonObject args)
    {
        var title = args["title"]?.GetValue<string>();
        var description = args["description"]?.GetValue<string>();
        return title is null && description is null
            ? Error("Give a new title or description.")
            : Change(args, "updated", t => t with { Title = title?.Trim() ?? t.Title, Description = description ?? t.Description });
    }

    private object Change(JsonObject args, string status, Func<StoredTask, StoredTask?> change)
    {
        var id = args["task_id"]?.GetValue<int>();
        var index = _tasks.FindIndex(t => t.Id == id);
        if (index < 0)
        {
            return Error(string.Create(CultureInfo.InvariantCulture, $"Task {id} not found."));
        }

        var before = _tasks[index];
        if (change(before) is { } after)
        {
            _tasks[index] = after;
        }

        return Text(new JsonObject { ["task_id"] = before.Id, ["status"] = status, ["title"] = Get(before.Id)?.Title ?? before.Title });
    }

    private static TextContent Text(JsonObject value) => new(value.ToJsonString());

    private static JsonElement Envelope(string text, JsonObject structured) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
            ["structuredContent"] = structured,
        });

    private static JsonElement Error(string message) =>
        JsonSerializer.SerializeToElement(new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = message }),
            ["isError"] = true,
        });

    private sealed class Tool(string name, string description, InMemoryTaskTools owner, Func<JsonObject, object> invoke) : AIFunction
    {
        public override string Name => name;

        public override string Description => description;

        protected override ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
        {
            // Arguments cross a JSON boundary on the way to a real MCP server; so they do here.
            var json = JsonSerializer.SerializeToNode(arguments.ToDictionary(a => a.Key, a => a.Value), AIJsonUtilities.DefaultOptions)!.AsObject();
            owner.Calls.Add(new ToolCall(name, json));
            return ValueTask.FromResult<object?>(invoke(json));
        }
    }
}
