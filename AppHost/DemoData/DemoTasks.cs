namespace Phase4.AppHost.DemoData;

internal sealed record DemoTask(string Title, string? Description, bool Completed);

/// <summary>What the demo account holds after a seed: a short, realistic list, some of it done.</summary>
internal static class DemoTasks
{
    public static IReadOnlyList<DemoTask> All { get; } =
    [
        new("Buy groceries", "Milk, eggs, spinach and coffee beans", Completed: false),
        new("Book the dentist", "Check-up before the end of the month", Completed: false),
        new("Plan the team offsite", "Shortlist three venues and send a poll", Completed: false),
        new("Renew the passport", null, Completed: true),
        new("Water the plants", null, Completed: true),
    ];
}
