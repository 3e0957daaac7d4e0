using System.Net;
using System.Net.Http.Json;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Overload;

/// <summary>
/// Past its concurrency limit an account is refused at once with 429 ProblemDetails and <c>Retry-After</c>; other
/// accounts (from the same client address), anonymous requests and the probes have their own budgets. Requests are
/// kept in progress by locks the test holds in PostgreSQL, and counted there, so "in progress" is a fact, not a hope.
/// </summary>
public sealed class OverloadTests(LimitedBackendFixture fixture) : IClassFixture<LimitedBackendFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>Every request of these tests seems to come from this client through the trusted (loopback) proxy.</summary>
    private const string ClientAddress = "203.0.113.7";

    [Fact]
    public async Task An_account_past_its_concurrency_limit_gets_429_with_Retry_After_while_another_account_from_the_same_address_is_served()
    {
        using var busy = await fixture.CreateUserAsync();
        using var other = await fixture.CreateUserAsync();
        var ids = new List<int>();
        for (var n = 0; n < LimitedBackendFixture.AccountConcurrency; n++)
        {
            var (task, _) = await busy.CreateTaskAsync($"held {n}");
            ids.Add((int)task["id"]!);
            using var warmUp = await Complete(busy, ids[^1], completed: false); // JIT the held route before the clock matters
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        // The held requests wait on these row locks inside the 10 s request time-out, far longer than the checks take.
        await using var hold = await DatabaseHold.TakeAsync(fixture.ConnectionString,
            "SELECT id FROM tasks WHERE user_id = @user FOR UPDATE", ("user", busy.Id));
        var held = ids.Select(id => Complete(busy, id, completed: true)).ToList();
        await hold.WaitForWaitersAsync(LimitedBackendFixture.AccountConcurrency, Patience);

        using (var refused = await Send(busy, HttpMethod.Get, busy.Tasks))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(LimitedBackendFixture.RetryAfter, refused.Headers.RetryAfter?.Delta);
        }

        using (var listed = await Send(other, HttpMethod.Get, other.Tasks))
        {
            Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        }

        using (var created = await Send(other, HttpMethod.Post, other.Tasks, new { title = "served meanwhile" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // The refusal happened while the account's requests were still in progress, not after they gave up.
        Assert.Equal(LimitedBackendFixture.AccountConcurrency, await hold.WaitersAsync());
        Assert.All(held, request => Assert.False(request.IsCompleted));

        await hold.ReleaseAsync();
        foreach (var request in held)
        {
            using var response = await request;
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var afterwards = await Send(busy, HttpMethod.Get, busy.Tasks);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
        Assert.All((await afterwards.ReadJsonAsync()).AsArray(), task => Assert.True((bool)task!["completed"]!));
    }

    [Fact]
    public async Task Anonymous_requests_and_signed_in_sign_ins_past_their_shared_limit_get_429_while_signed_in_accounts_and_probes_are_served()
    {
        using var user = await fixture.CreateUserAsync();
        using var anonymous = new HttpClient { BaseAddress = fixture.Backend.BaseAddress, Timeout = Patience };

        // Sign-up inserts into users: the table lock holds it there (reads, like the signed-in list, still go on).
        await using var hold = await DatabaseHold.TakeAsync(fixture.ConnectionString, "LOCK TABLE users IN EXCLUSIVE MODE");
        var registering = anonymous.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = TestUser.DefaultPassword });
        await hold.WaitForWaitersAsync(1, Patience);

        using (var refused = await anonymous.PostAsJsonAsync("/api/auth/login", new { email = "nobody@example.com", password = "wrong password" }))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal(LimitedBackendFixture.RetryAfter, refused.Headers.RetryAfter?.Delta);
        }

        // A bearer token on a credentials endpoint changes nothing: the password check still needs an anonymous slot,
        // else any signed-in account would hash passwords outside the shared pool.
        using (var withToken = await user.Client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = "wrong password" }))
        {
            await withToken.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }

        using (var signUpWithToken = await user.Client.PostAsJsonAsync("/api/auth/register", new { email = TestUser.NewEmail(), password = TestUser.DefaultPassword }))
        {
            await signUpWithToken.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }

        using (var tasks = await user.Client.GetAsync(user.Tasks))
        {
            Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
        }

        using (var health = await anonymous.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal(1, await hold.WaitersAsync());
        Assert.False(registering.IsCompleted);

        await hold.ReleaseAsync();
        using var registered = await registering;
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task Invalid_limits_stop_the_backend_at_start_up()
    {
        await using var backend = BackendFixture.StartBackend(fixture.ConnectionString, fixture.Keys.PrivateKeyPem,
            new() { ["RateLimits__AccountConcurrency"] = "0" });

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => backend.WaitUntilHealthyAsync("/alive"));

        Assert.Contains("RateLimits:", failure.Message, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Complete(TestUser user, int id, bool completed) =>
        Send(user, HttpMethod.Patch, $"{user.Tasks}/{id}/complete", new { completed });

    /// <summary>A request as the frontend's proxy forwards it: every user seems to come from one client address.</summary>
    private static async Task<HttpResponseMessage> Send(TestUser user, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", ClientAddress);
        return await user.Client.SendAsync(request);
    }
}
