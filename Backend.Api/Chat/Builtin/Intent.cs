namespace Phase4.Backend.Chat.Builtin;

/// <summary>What the user asked for, as understood from their words.</summary>
public abstract record Intent;

public sealed record AddTaskIntent(string Title, string? Description) : Intent;

public sealed record ListTasksIntent(TaskListFilter Filter) : Intent;

/// <summary>Complete, delete or update one task, named by id or by (part of) its title.</summary>
public sealed record TaskActionIntent(TaskAction Action, TaskReference Target, string? NewTitle = null, string? NewDescription = null)
    : Intent;

/// <summary>A request answered with words alone: no tool is called.</summary>
public sealed record ConversationalIntent(ConversationalKind Kind, string? Detail = null) : Intent;

public enum TaskListFilter
{
    All,
    Pending,
    Completed,
}

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

    /// <summary>Asked to act for someone else; the assistant only ever acts for the signed-in user.</summary>
    OtherUser,

    /// <summary>"Add a task" with nothing to add.</summary>
    MissingTitle,

    /// <summary>"Change task 1" without saying to what.</summary>
    MissingNewValue,

    /// <summary>"Delete all my tasks": the tools change one task at a time, so the assistant asks for one.</summary>
    OneAtATime,

    /// <summary>"Mark task 3 as not done": no tool reopens a task.</summary>
    CannotReopen,

    /// <summary>"Never mind" after a clarifying question.</summary>
    Cancelled,

    /// <summary>"Delete it" when the previous turn does not name exactly one task.</summary>
    UnclearReference,
}

/// <summary>How the user named a task: by id, or by words from its title.</summary>
public abstract record TaskReference
{
    public sealed record ById(int TaskId) : TaskReference;

    public sealed record ByTitle(string Words) : TaskReference;
}
