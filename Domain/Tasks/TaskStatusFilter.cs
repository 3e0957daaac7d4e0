namespace Phase4.Domain.Tasks;

public enum TaskStatusFilter
{
    All,
    Pending,
    Completed,
}

public static class TaskStatusFilters
{
    public const string AllowedValues = "all, pending, completed";

    /// <summary>Parses <c>all|pending|completed</c> (case-insensitive); null or empty means all.</summary>
    public static bool TryParse(string? value, out TaskStatusFilter filter)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case null or "" or "all":
                filter = TaskStatusFilter.All;
                return true;
            case "pending":
                filter = TaskStatusFilter.Pending;
                return true;
            case "completed":
                filter = TaskStatusFilter.Completed;
                return true;
            default:
                filter = TaskStatusFilter.All;
                return false;
        }
    }
}
