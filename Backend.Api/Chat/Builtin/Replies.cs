using System.Globalization;
using System.Text;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>Everything the builtin assistant says. Every action is confirmed with the task's title and id.</summary>
public static class Replies
{
    /// <summary>Opens a clarifying question; the follow-up reader looks for it in the previous answer.</summary>
    public const string WhichOneMarker = "Which one should I ";

    /// <summary>Opens a suggestion; "yes" afterwards accepts it.</summary>
    public const string DidYouMeanMarker = "Did you mean task ";

    public const string Capabilities =
        "Here's what I can do:\n" +
        "- Add a task: \"Add a task to buy groceries\" or \"Remind me to pay bills\"\n" +
        "- Show your tasks: \"Show me all my tasks\", \"What's pending?\" or \"What have I completed?\"\n" +
        "- Complete a task: \"Mark task 3 as complete\" or \"I finished buying groceries\"\n" +
        "- Delete a task: \"Delete the meeting task\" or \"Remove task 2\"\n" +
        "- Change a task: \"Change task 1 to 'Call mom tonight'\" or \"Update the groceries task description to milk and eggs\"";

    public const string ToolUnavailable =
        "I can't reach your task list right now, so I couldn't do that. Please try again in a moment.";

    public static string Verb(TaskAction action) => action switch
    {
        TaskAction.Complete => "complete",
        TaskAction.Delete => "delete",
        _ => "update",
    };

    public static string For(ConversationalIntent intent) => intent.Kind switch
    {
        ConversationalKind.Greeting => "Hi! I'm your task assistant. " + Capabilities,
        ConversationalKind.Help => Capabilities,
        ConversationalKind.Thanks => "You're welcome! Is there anything else I can do with your tasks?",
        ConversationalKind.Goodbye => "Goodbye! Your tasks will be here when you come back.",
        ConversationalKind.OtherUser =>
            "I can only see and change your own tasks, so I can't do that for anyone else or outside these rules.\n\n" + Capabilities,
        ConversationalKind.MissingTitle => "What should the new task say? For example: \"Add a task to buy groceries\".",
        ConversationalKind.MissingNewValue =>
            "What should I change it to? For example: \"Change task 1 to 'Call mom tonight'\" or \"Update task 1 description to after work\".",
        ConversationalKind.OneAtATime =>
            $"I can {intent.Detail ?? "change"} one task at a time. Tell me which one by its id or title, for example \"{intent.Detail ?? "complete"} task 3\".",
        ConversationalKind.CannotReopen =>
            "I can't mark a task as not done. You can reopen it on the tasks page. I can add, show, complete, delete and change tasks.",
        ConversationalKind.Cancelled => "Okay, I won't change anything.",
        ConversationalKind.UnclearReference =>
            $"Which task should I {intent.Detail ?? "use"}? Tell me its id or title, for example \"{intent.Detail ?? "complete"} task 3\".",
        _ => "Sorry, I didn't understand that. " + Capabilities,
    };

    public static string Added(AddTaskIntent intent, ToolOutcome outcome)
    {
        if (outcome.Failed)
        {
            return $"I couldn't add \"{intent.Title}\": {outcome.Error}";
        }

        var (id, title) = TaskItem.ResultOf(outcome.Value);
        var named = Quote(title ?? intent.Title);
        return id is { } taskId
            ? $"Got it! I've added {named} to your tasks as task {taskId}."
            : $"Got it! I've added {named} to your tasks.";
    }

    public static string Listing(TaskListFilter filter, ToolOutcome outcome)
    {
        if (outcome.Failed)
        {
            return $"I couldn't load your tasks: {outcome.Error}";
        }

        var tasks = TaskItem.ListFrom(outcome.Value).OrderBy(t => t.Id).ToList();
        if (tasks.Count == 0)
        {
            return filter switch
            {
                TaskListFilter.Pending => "You have no pending tasks. Everything is done!",
                TaskListFilter.Completed => "You haven't completed any tasks yet.",
                _ => "You don't have any tasks yet. Try \"Add a task to buy groceries\".",
            };
        }

        var text = new StringBuilder(filter switch
        {
            TaskListFilter.Pending => $"You have {Count(tasks.Count, "pending task")}:",
            TaskListFilter.Completed => $"You have completed {Count(tasks.Count, "task")}:",
            _ => $"You have {Count(tasks.Count, "task")}:",
        });
        AppendNumbered(text, tasks);
        if (filter == TaskListFilter.All)
        {
            var done = tasks.Count(t => t.Completed);
            text.Append(CultureInfo.InvariantCulture, $"\n{tasks.Count - done} pending, {done} completed.");
        }

        return text.ToString();
    }

    /// <summary>The answer to a complete, delete or update call on task <paramref name="taskId"/>.</summary>
    public static string ActionResult(TaskActionIntent intent, int taskId, string? knownTitle, ToolOutcome outcome)
    {
        if (outcome.Failed)
        {
            return IsNotFound(outcome.Error)
                ? $"I couldn't find task {taskId} in your tasks. Say \"show my tasks\" to see them with their ids."
                : $"I couldn't {Verb(intent.Action)} task {taskId}: {outcome.Error}";
        }

        var title = TaskItem.ResultOf(outcome.Value).Title ?? intent.NewTitle ?? knownTitle;
        var named = title is null ? $"task {taskId}" : $"task {taskId}, {Quote(title)},";
        return intent.Action switch
        {
            TaskAction.Complete => $"Nice work! I've marked {named} as complete.",
            TaskAction.Delete => $"Done. I've deleted {named.TrimEnd(',')}.",
            _ when intent.NewTitle is not null && intent.NewDescription is not null =>
                $"Done. Task {taskId} is now called {Quote(title ?? intent.NewTitle)} and has the new description.",
            _ when intent.NewTitle is not null => $"Done. Task {taskId} is now called {Quote(title ?? intent.NewTitle)}.",
            _ => $"Done. I've updated the description of {named.TrimEnd(',')}.",
        };
    }

    public static string AlreadyComplete(TaskItem task) => $"Task {task.Id}, {Quote(task.Title)}, is already complete.";

    public static string NoMatch(string words, TaskItem? suggestion) =>
        suggestion is null
            ? $"I couldn't find a task matching {Quote(words)}. Say \"show my tasks\" to see what you have."
            : $"I couldn't find a task matching {Quote(words)}. {DidYouMeanMarker}{suggestion.Id}, {Quote(suggestion.Title)}?";

    public static string WhichOne(TaskAction action, string words, IReadOnlyList<TaskItem> matches)
    {
        var text = new StringBuilder($"I found {matches.Count} tasks matching {Quote(words)}:");
        AppendNumbered(text, matches.OrderBy(t => t.Id).ToList());
        text.Append(CultureInfo.InvariantCulture,
            $"\n{WhichOneMarker}{Verb(action)}? Reply with its task id, for example \"task {matches.Min(t => t.Id)}\".");
        return text.ToString();
    }

    public static string ListFailed(string? error) => $"I couldn't look up your tasks: {error}";

    /// <summary>Tool errors say "not found" for unknown ids and for other users' tasks alike.</summary>
    private static bool IsNotFound(string? error) =>
        error is not null && (error.Contains("not found", StringComparison.OrdinalIgnoreCase)
            || error.Contains("no task", StringComparison.OrdinalIgnoreCase)
            || error.Contains("does not exist", StringComparison.OrdinalIgnoreCase));

    private static void AppendNumbered(StringBuilder text, List<TaskItem> tasks)
    {
        for (var i = 0; i < tasks.Count; i++)
        {
            var task = tasks[i];
            text.Append(CultureInfo.InvariantCulture,
                $"\n{i + 1}. {task.Title} (task {task.Id}, {(task.Completed ? "completed" : "pending")})");
            if (!string.IsNullOrWhiteSpace(task.Description))
            {
                text.Append(" - ").Append(task.Description.ReplaceLineEndings(" "));
            }
        }
    }

    private static string Count(int count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");

    private static string Quote(string text) => $"\"{text}\"";
}
