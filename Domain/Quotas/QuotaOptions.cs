namespace Phase4.Domain.Quotas;

/// <summary>
/// Per-account quotas (section <c>Quotas</c>), so one account cannot fill the database or spend an external model's
/// credit without bound. Every adapter (REST, MCP tools, chat) goes through the domain operation that enforces them.
/// </summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    public const string ValidationMessage = "Quotas: TasksPerUser, ConversationsPerUser and ChatTurnsPerHour must be at least 1.";

    /// <summary>Tasks one account may keep; creating one more is refused until some are deleted.</summary>
    public int TasksPerUser { get; set; } = 10_000;

    /// <summary>Conversations one account may keep.</summary>
    public int ConversationsPerUser { get; set; } = 1_000;

    /// <summary>Chat messages one account may send in any sliding hour (each may cost model calls).</summary>
    public int ChatTurnsPerHour { get; set; } = 60;

    public bool IsValid() => TasksPerUser >= 1 && ConversationsPerUser >= 1 && ChatTurnsPerHour >= 1;
}
