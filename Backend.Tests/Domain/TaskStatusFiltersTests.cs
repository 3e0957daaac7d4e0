using Phase4.Domain.Tasks;

namespace Phase4.Tests.Domain;

public sealed class TaskStatusFiltersTests
{
    [Theory]
    [InlineData(null, TaskStatusFilter.All)]
    [InlineData("", TaskStatusFilter.All)]
    [InlineData("all", TaskStatusFilter.All)]
    [InlineData("pending", TaskStatusFilter.Pending)]
    [InlineData("completed", TaskStatusFilter.Completed)]
    [InlineData("Completed", TaskStatusFilter.Completed)]
    [InlineData(" PENDING ", TaskStatusFilter.Pending)]
    public void Known_statuses_parse_case_insensitively(string? value, TaskStatusFilter expected)
    {
        Assert.True(TaskStatusFilters.TryParse(value, out var filter));
        Assert.Equal(expected, filter);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("complete")]
    [InlineData("1")]
    [InlineData("all\0")]
    [InlineData("pending,completed")]
    public void Unknown_statuses_are_refused(string value) => Assert.False(TaskStatusFilters.TryParse(value, out _));
}
