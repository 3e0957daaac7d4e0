namespace Phase4.Tests.AppHost;

[Collection(SharedAppHost.Name)]
public sealed class CleanStartTests(AppHostFixture apphost)
{
    [Fact]
    public async Task A_clean_start_logs_no_error_level_entry_in_the_AppHost_or_any_resource()
    {
        var entries = await apphost.StartEntries;

        var errors = entries.Where(ErrorLogEntries.IsError).ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} error-level entries on a clean start:\n{string.Join('\n', errors)}");
        // The check saw the resources' consoles, not just the AppHost's own log.
        Assert.Contains(entries, entry => entry.Resource == "migrator");
        Assert.Contains(entries, entry => entry.Resource == "postgres");
    }

    [Fact]
    public async Task The_http_only_AppHost_raises_no_development_certificate_warning()
    {
        // Aspire logs this warning where it sends the dashboard's red "No trusted development certificate" notice.
        var entries = await apphost.StartEntries;

        Assert.DoesNotContain(entries, entry => entry.Resource is null && entry.Message.Contains("development certificate", StringComparison.Ordinal));
    }
}
