using Phase4.Domain.Tasks;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>The assistant's next move: call a tool, or answer (perhaps with a question the next turn may answer).</summary>
public abstract record PlannedStep
{
    public sealed record CallTool(string Name, Dictionary<string, object?> Arguments) : PlannedStep;

    public sealed record Answer(string Text, PendingChoice? Choice = null) : PlannedStep;
}

/// <summary>
/// Decides the next step of a request from what the tools have answered so far in it, so the whole plan lives in the
/// messages the function-invocation loop passes back: "delete the meeting task" = list_tasks, then delete_task with
/// the one matching id (or a question when several match), then the confirmation.
/// </summary>
public static class TaskPlanner
{
    // The MCP server's tool names (its original contract, which existing MCP clients use).
    public const string AddTask = "add_task";
    public const string ListTasks = "list_tasks";
    public const string CompleteTask = "complete_task";
    public const string DeleteTask = "delete_task";
    public const string UpdateTask = "update_task";

    public static PlannedStep Next(Intent intent, IReadOnlyList<ToolCallRecord> done) => intent switch
    {
        AddTaskIntent add => Outcome(done, AddTask) is { } added
            ? new PlannedStep.Answer(Replies.Added(add, added))
            : Call(AddTask, ("title", add.Title), ("description", add.Description)),
        ListTasksIntent list => Outcome(done, ListTasks) is { } listed
            ? new PlannedStep.Answer(Replies.Listing(list.Filter, listed))
            : ListCall(list.Filter),
        TaskActionIntent action => Act(action, done),
        ConversationalIntent conversational => new PlannedStep.Answer(Replies.For(conversational)),
        _ => throw new InvalidOperationException("Unknown intent " + intent.GetType().Name),
    };

    private static PlannedStep Act(TaskActionIntent intent, IReadOnlyList<ToolCallRecord> done)
    {
        var acted = Outcome(done, ToolFor(intent.Action));
        if (intent.Target is TaskReference.ById { TaskId: var id })
        {
            return acted is null ? ActionCall(intent, id) : new PlannedStep.Answer(Replies.ActionResult(intent, id, knownTitle: null, acted));
        }

        var words = ((TaskReference.ByTitle)intent.Target).Words;
        var listed = Outcome(done, ListTasks);
        if (listed is null || listed.Failed)
        {
            return listed is null ? ListCall(TaskStatusFilter.All) : new PlannedStep.Answer(Replies.ListFailed(listed.Error));
        }

        var tasks = TaskItem.ListFrom(listed.Value);
        var matches = TaskMatcher.Find(tasks, words).OrderBy(t => t.Id).ToList();
        if (intent.Action == TaskAction.Complete && matches.Any(t => !t.Completed))
        {
            // "I finished the report" means the report still open.
            matches = matches.Where(t => !t.Completed).ToList();
        }

        return matches switch
        {
            [] => TaskMatcher.Suggest(tasks, words) is { } near
                ? new PlannedStep.Answer(Replies.NoMatch(words, near), new PendingChoice(intent, [near]))
                : new PlannedStep.Answer(Replies.NoMatch(words, suggestion: null)),
            [var task] when acted is not null => new PlannedStep.Answer(Replies.ActionResult(intent, task.Id, task.Title, acted)),
            [var task] when intent.Action == TaskAction.Complete && task.Completed => new PlannedStep.Answer(Replies.AlreadyComplete(task)),
            [var task] => ActionCall(intent, task.Id),
            _ => new PlannedStep.Answer(Replies.WhichOne(intent.Action, words, matches), new PendingChoice(intent, matches)),
        };
    }

    private static PlannedStep.CallTool ActionCall(TaskActionIntent intent, int taskId) =>
        Call(ToolFor(intent.Action), ("task_id", taskId), ("title", intent.NewTitle), ("description", intent.NewDescription));

    private static PlannedStep.CallTool ListCall(TaskStatusFilter filter) =>
        Call(ListTasks, ("status", filter.ToString().ToLowerInvariant()));

    /// <summary>A tool call with the arguments that have a value.</summary>
    private static PlannedStep.CallTool Call(string tool, params (string Name, object? Value)[] arguments) =>
        new(tool, arguments.Where(a => a.Value is not null).ToDictionary(a => a.Name, a => a.Value));

    private static string ToolFor(TaskAction action) => action switch
    {
        TaskAction.Complete => CompleteTask,
        TaskAction.Delete => DeleteTask,
        _ => UpdateTask,
    };

    /// <summary>What the last call of <paramref name="tool"/> in this request returned, or null before it was called.</summary>
    private static ToolOutcome? Outcome(IReadOnlyList<ToolCallRecord> done, string tool) =>
        done.LastOrDefault(call => call.Name == tool) is { } call ? call.Result ?? ToolOutcome.Nothing : null;
}
