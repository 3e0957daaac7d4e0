using System.Globalization;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>Everything the builtin assistant says. Every action is confirmed with the task's title and id.</summary>
public static class Replies
{
    public const string Capabilities =
        "Here's what I can do:\n" +
        "- Add a task: \"Add a task to buy groceries\" or \"Remind me to pay bills\"\n" +
        "- Show your tasks: \"Show me all my tasks\", \"What's pending?\" or \"What have I completed?\"\n" +
        "- Complete a task: \"Mark task 3 as complete\" or \"I finished buying groceries\"\n" +
        "- Delete a task: \"Delete the meeting task\" or \"Remove task 2\"\n" +
        "- Change a task: \"Change task 1 to 'Call mom tonight'\" or \"Update the groceries task description to milk and eggs\"";

    public const string ToolUnavailable =
        "I can't reach your task list right now, so I couldn't do that. Please try again in a moment.";

    public static string For(ConversationalIntent intent)
    {
        var verb = Verb(intent.Action ?? TaskAction.Complete);
        return intent.Kind switch
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
                $"I can {verb} one task at a time. Tell me which one by its id or title, for example \"{verb} task 3\".",
            ConversationalKind.CannotReopen =>
                "I can't mark a task as not done. You can reopen it on the tasks page. I can add, show, complete, delete and change tasks.",
            ConversationalKind.Cancelled => "Okay, I won't change anything.",
            ConversationalKind.UnclearReference =>
                $"Which task should I {verb}? Tell me its id or title, for example \"{verb} task 3\".",
            _ => "Sorry, I didn't understand that. " + Capabilities,
        };
    }

    public static string Added(AddTaskIntent intent, ToolOutcome outcome) =>
        outcome.Failed ? $"I couldn't add \"{intent.Title}\": {outcome.Error}"
        : TaskItem.ResultOf(outcome.Value) is (int id, var title) ? $"Got it! I've added {Quote(title ?? intent.Title)} to your tasks as task {id}."
        : $"Got it! I've added {Quote(intent.Title)} to your tasks.";

    public static string Listing(TaskStatusFilter filter, ToolOutcome outcome)
    {
        var tasks = TaskItem.ListFrom(outcome.Value).OrderBy(t => t.Id).ToList();
        var done = tasks.Count(t => t.Completed);
        return (filter, tasks.Count) switch
        {
            _ when outcome.Failed => ListFailed(outcome.Error),
            (TaskStatusFilter.Pending, 0) => "You have no pending tasks. Everything is done!",
            (TaskStatusFilter.Completed, 0) => "You haven't completed any tasks yet.",
            (_, 0) => "You don't have any tasks yet. Try \"Add a task to buy groceries\".",
            (TaskStatusFilter.Pending, var count) => $"You have {Count(count, "pending task")}:{Numbered(tasks)}",
            (TaskStatusFilter.Completed, var count) => $"You have completed {Count(count, "task")}:{Numbered(tasks)}",
            (_, var count) => $"You have {Count(count, "task")}:{Numbered(tasks)}\n{count - done} pending, {done} completed.",
        };
    }

    /// <summary>The answer to a complete, delete or update call on task <paramref name="taskId"/>.</summary>
    public static string ActionResult(TaskActionIntent intent, int taskId, string? knownTitle, ToolOutcome outcome)
    {
        var title = TaskItem.ResultOf(outcome.Value).Title ?? intent.NewTitle ?? knownTitle;
        var named = title is null ? $"task {taskId}" : $"task {taskId}, {Quote(title)}";
        return intent.Action switch
        {
            // Tool errors say "not found" for unknown ids and for other users' tasks alike.
            _ when outcome.Error?.Contains("not found", StringComparison.OrdinalIgnoreCase) == true =>
                $"I couldn't find task {taskId} in your tasks. Say \"show my tasks\" to see them with their ids.",
            _ when outcome.Failed => $"I couldn't {Verb(intent.Action)} task {taskId}: {outcome.Error}",
            TaskAction.Complete => $"Nice work! I've marked {named}{(title is null ? "" : ",")} as complete.",
            TaskAction.Delete => $"Done. I've deleted {named}.",
            _ when intent.NewTitle is not null => $"Done. Task {taskId} is now called {Quote(title ?? intent.NewTitle)}"
                + (intent.NewDescription is null ? "." : " and has the new description."),
            _ => $"Done. I've updated the description of {named}.",
        };
    }

    public static string AlreadyComplete(TaskItem task) => $"Task {task.Id}, {Quote(task.Title)}, is already complete.";

    public static string NoMatch(string words, TaskItem? suggestion) =>
        $"I couldn't find a task matching {Quote(words)}. " + (suggestion is null
            ? "Say \"show my tasks\" to see what you have."
            : $"Did you mean task {suggestion.Id}, {Quote(suggestion.Title)}?");

    public static string WhichOne(TaskAction action, string words, IReadOnlyList<TaskItem> candidates) =>
        $"I found {candidates.Count} tasks matching {Quote(words)}:{Numbered(candidates)}\n" +
        $"Which one should I {Verb(action)}? Reply with its task id, for example \"task {candidates[0].Id}\".";

    public static string ListFailed(string? error) => $"I couldn't look up your tasks: {error}";

    private static string Verb(TaskAction action) => action.ToString().ToLowerInvariant();

    /// <summary>"\n1. Buy groceries (task 4, pending) - milk, eggs" for each task.</summary>
    private static string Numbered(IReadOnlyList<TaskItem> tasks) => string.Concat(tasks.Select((task, i) =>
        string.Create(CultureInfo.InvariantCulture, $"\n{i + 1}. {task.Title} (task {task.Id}, {(task.Completed ? "completed" : "pending")})")
        + (string.IsNullOrWhiteSpace(task.Description) ? "" : " - " + task.Description.ReplaceLineEndings(" "))));

    private static string Count(int count, string noun) =>
        count == 1 ? $"1 {noun}" : string.Create(CultureInfo.InvariantCulture, $"{count} {noun}s");

    private static string Quote(string text) => $"\"{text}\"";
}
