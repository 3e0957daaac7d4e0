using Microsoft.Extensions.Time.Testing;
using Phase4.Domain.Data;

namespace Phase4.Tests.Domain;

public sealed class DatabaseClockTests
{
    [Fact]
    public void Now_is_truncated_to_whole_microseconds_like_PostgreSQL_stores_it()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_567));

        var now = time.GetDatabaseNow();

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1_234_560), now);
    }
}
