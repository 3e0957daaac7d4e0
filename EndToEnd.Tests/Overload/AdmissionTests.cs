using System.Net;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Overload;

/// <summary>
/// The process-wide admission limit (ServiceDefaults' Admission, sized from the database pool): past it, a request of
/// any account is refused at once with 503, Retry-After and ProblemDetails, while the probes keep answering; once the
/// requests in progress finish, requests are admitted again. (Before it, only the per-account limit stood: many
/// accounts together queued for the pool until time-outs answered; bench/saturation.sh shows that at full scale.)
/// </summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private MigratedDatabase _database = null!;
    private ServiceProcess _backend = null!;

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        _database = await _postgres.CreateMigratedDatabaseAsync("admission");
        using var keys = new TestKeys();
        _backend = BackendFixture.StartBackend(_database.Backend, keys.PrivateKeyPem, new()
        {
            ["Admission__Concurrency"] = "2",
            ["Admission__Queue"] = "0",
            ["Admission__RetryAfter"] = "00:00:03",
        });
        await _backend.WaitUntilHealthyAsync();
    }

    [Fact]
    public async Task Past_the_processes_capacity_another_accounts_request_gets_503_with_Retry_After_and_the_probes_still_answer()
    {
        using var holder = await TestUser.CreateAsync(_backend.BaseAddress);
        using var other = await TestUser.CreateAsync(_backend.BaseAddress);
        var (task, _) = await holder.CreateTaskAsync("held");
        var id = (int)task["id"]!;

        Task<HttpResponseMessage> held1, held2;
        await using (var hold = await DatabaseHold.TakeAsync(_database.Owner, "SELECT 1 FROM tasks WHERE id = @id FOR UPDATE", ("id", id)))
        {
            held1 = holder.Client.PatchAsync($"{holder.Tasks}/{id}/complete", null);
            held2 = holder.Client.PatchAsync($"{holder.Tasks}/{id}/complete", null);
            await hold.WaitForWaitersAsync(1, TimeSpan.FromSeconds(30));
            await WaitUntilRefusedAsync(other);

            using var refused = await other.Client.GetAsync(other.Tasks);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var client = new HttpClient { BaseAddress = _backend.BaseAddress };
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        }

        using (var first = await held1)
        using (var second = await held2)
        {
            Assert.All(new[] { first.StatusCode, second.StatusCode }, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{status}"));
        }

        using var admitted = await other.Client.GetAsync(other.Tasks);
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    /// <summary>The two held requests may reach the endpoint (and hold their permits) a moment before their queries wait.</summary>
    private static async Task WaitUntilRefusedAsync(TestUser user)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await user.Client.GetAsync(user.Tasks);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                return;
            }

            await Task.Delay(50);
        }
    }
}
