using Phase4.Domain.Tasks;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>What the user asked for, as understood from their words.</summary>
public abstract record Intent;

public sealed record AddTaskIntent(string Title, string? Description) : Intent;

public sealed record ListTasksIntent(TaskStatusFilter Filter) : Intent;

/// <summary>Complete, delete or update one task, named by id or by (part of) its title.</summary>
public sealed record TaskActionIntent(TaskAction Action, TaskReference Target, string? NewTitle = null, string? NewDescription = null)
    : Intent
{
    public TaskActionIntent On(int taskId) => this with { Target = new TaskReference.ById(taskId) };
}

/// <summary>A request answered with words alone; <paramref name="Action"/> is the one it was about, if any.</summary>
public sealed record ConversationalIntent(ConversationalKind Kind, TaskAction? Action = null) : Intent;

public enum TaskAction
{
    Complete,
    Delete,
    Update,
}

public enum ConversationalKind
{
    Greeting,
    Help,
    Thanks,
    Goodbye,
    Unknown,
    OtherUser, // asked to act for someone else: the assistant only ever acts for the signed-in user
    MissingTitle, // "add a task" with nothing to add
    MissingNewValue, // "change task 1" without saying to what
    OneAtATime, // "delete all my tasks": the tools change one task at a time
    CannotReopen, // "mark task 3 as not done": no tool reopens a task
    Cancelled, // "never mind" after a clarifying question
    UnclearReference, // "delete it" when the previous turn did not act on exactly one task
}

/// <summary>How the user named a task: by id, or by words from its title.</summary>
public abstract record TaskReference
{
    public sealed record ById(int TaskId) : TaskReference;

    public sealed record ByTitle(string Words) : TaskReference;
}

/// <summary>
/// A question the assistant asked about <paramref name="Intent"/>: which of several matching tasks it means, or whether
/// it means the one near miss offered ("Did you mean task 4?").
/// </summary>
public sealed record PendingChoice(TaskActionIntent Intent, IReadOnlyList<TaskItem> Candidates);
