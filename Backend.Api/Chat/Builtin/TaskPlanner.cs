namespace Phase4.Backend.Chat.Builtin;

/// <summary>The MCP tools the builtin assistant uses, by their Phase 3 names.</summary>
public static class TaskTools
{
    public const string AddTask = "add_task";
    public const string ListTasks = "list_tasks";
    public const string CompleteTask = "complete_task";
    public const string DeleteTask = "delete_task";
    public const string UpdateTask = "update_task";
}

/// <summary>A tool call made earlier in this request, and what it returned.</summary>
public sealed record ToolExchange(string Name, ToolOutcome Outcome);

/// <summary>The assistant's next move: call a tool, or answer.</summary>
public abstract record PlannedStep
{
    public sealed record CallTool(string Name, Dictionary<string, object?> Arguments) : PlannedStep;

    public sealed record Answer(string Text) : PlannedStep;
}

/// <summary>
/// Decides the next step of a request from what the tools have answered so far in it, so the whole plan lives in the
/// messages the function-invocation loop passes back: "delete the meeting task" = list_tasks, then delete_task with
/// the one matching id (or a question when several match), then the confirmation.
/// </summary>
public static class TaskPlanner
{
    public static PlannedStep Next(Intent intent, IReadOnlyList<ToolExchange> done, IReadOnlySet<string> availableTools)
    {
        var step = intent switch
        {
            AddTaskIntent add => Add(add, done),
            ListTasksIntent list => List(list, done),
            TaskActionIntent action => Act(action, done),
            ConversationalIntent conversational => new PlannedStep.Answer(Replies.For(conversational)),
            _ => new PlannedStep.Answer(Replies.For(new ConversationalIntent(ConversationalKind.Unknown))),
        };

        return step is PlannedStep.CallTool call && !availableTools.Contains(call.Name) ? new PlannedStep.Answer(Replies.ToolUnavailable) : step;
    }

    private static PlannedStep Add(AddTaskIntent intent, IReadOnlyList<ToolExchange> done)
    {
        if (Find(done, TaskTools.AddTask) is { } added)
        {
            return new PlannedStep.Answer(Replies.Added(intent, added.Outcome));
        }

        var arguments = new Dictionary<string, object?> { ["title"] = intent.Title };
        if (intent.Description is not null)
        {
            arguments["description"] = intent.Description;
        }

        return new PlannedStep.CallTool(TaskTools.AddTask, arguments);
    }

    private static PlannedStep List(ListTasksIntent intent, IReadOnlyList<ToolExchange> done) =>
        Find(done, TaskTools.ListTasks) is { } listed
            ? new PlannedStep.Answer(Replies.Listing(intent.Filter, listed.Outcome))
            : ListCall(intent.Filter);

    private static PlannedStep Act(TaskActionIntent intent, IReadOnlyList<ToolExchange> done)
    {
        var tool = ToolFor(intent.Action);
        var acted = Find(done, tool);
        if (intent.Target is TaskReference.ById byId)
        {
            return acted is null
                ? ActionCall(intent, byId.TaskId)
                : new PlannedStep.Answer(Replies.ActionResult(intent, byId.TaskId, knownTitle: null, acted.Outcome));
        }

        var words = ((TaskReference.ByTitle)intent.Target).Words;
        if (Find(done, TaskTools.ListTasks) is not { } listed)
        {
            return ListCall(TaskListFilter.All);
        }

        if (listed.Outcome.Failed)
        {
            return new PlannedStep.Answer(Replies.ListFailed(listed.Outcome.Error));
        }

        var tasks = TaskItem.ListFrom(listed.Outcome.Value);
        var matches = TaskMatcher.Find(tasks, words);
        if (intent.Action == TaskAction.Complete && matches.Count > 1 && matches.Any(t => !t.Completed))
        {
            // "I finished the report" means the report still open.
            matches = matches.Where(t => !t.Completed).ToList();
        }

        if (matches.Count == 0)
        {
            return new PlannedStep.Answer(Replies.NoMatch(words, TaskMatcher.Suggest(tasks, words)));
        }

        if (matches.Count > 1)
        {
            return new PlannedStep.Answer(Replies.WhichOne(intent.Action, words, matches));
        }

        var task = matches[0];
        if (acted is not null)
        {
            return new PlannedStep.Answer(Replies.ActionResult(intent, task.Id, task.Title, acted.Outcome));
        }

        return intent.Action == TaskAction.Complete && task.Completed
            ? new PlannedStep.Answer(Replies.AlreadyComplete(task))
            : ActionCall(intent, task.Id);
    }

    private static PlannedStep.CallTool ActionCall(TaskActionIntent intent, int taskId)
    {
        var arguments = new Dictionary<string, object?> { ["task_id"] = taskId };
        if (intent.NewTitle is not null)
        {
            arguments["title"] = intent.NewTitle;
        }

        if (intent.NewDescription is not null)
        {
            arguments["description"] = intent.NewDescription;
        }

        return new PlannedStep.CallTool(ToolFor(intent.Action), arguments);
    }

    private static PlannedStep.CallTool ListCall(TaskListFilter filter) =>
        new(TaskTools.ListTasks, new Dictionary<string, object?>
        {
            ["status"] = filter switch
            {
                TaskListFilter.Pending => "pending",
                TaskListFilter.Completed => "completed",
                _ => "all",
            },
        });

    private static string ToolFor(TaskAction action) => action switch
    {
        TaskAction.Complete => TaskTools.CompleteTask,
        TaskAction.Delete => TaskTools.DeleteTask,
        _ => TaskTools.UpdateTask,
    };

    private static ToolExchange? Find(IReadOnlyList<ToolExchange> done, string tool) => done.LastOrDefault(e => e.Name == tool);
}
