namespace Phase4.Domain.Data;

public static class DatabaseClock
{
    /// <summary>
    /// Now, truncated to PostgreSQL's timestamp precision (1 µs), so a write's response carries exactly the
    /// timestamps later reads return.
    /// </summary>
    public static DateTimeOffset GetDatabaseNow(this TimeProvider time)
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % (TimeSpan.TicksPerMillisecond / 1000)));
    }
}
