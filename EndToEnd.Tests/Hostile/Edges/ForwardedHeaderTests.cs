using System.Net;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Hostile.Edges;

/// <summary>
/// Whose X-Forwarded-For the services believe: the configured proxy's only, one hop only, also when Aspire's
/// manifest sets ASPNETCORE_FORWARDEDHEADERS_ENABLED (which, left to ASP.NET Core, believes anyone and applies the
/// middleware twice). The client address a service settled on is observed through the per-address sign-in bucket:
/// requests it counts as one client run out together.
/// </summary>
[Collection(EdgeServices.Name)]
public sealed class ForwardedHeaderTests(EdgeFixture fixture)
{
    [Fact]
    public async Task The_trusted_proxy_can_name_its_clients_and_a_direct_client_cannot()
    {
        using var proxy = new HttpClient { BaseAddress = fixture.Backend.BaseAddress };
        var client = fixture.NextForwardedAddress();
        await ExhaustSignInBucketAsync(proxy, EdgeFixture.SignInBurst, () => client);
        using (var otherClient = await WrongSignInAsync(proxy, fixture.NextForwardedAddress()))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, otherClient.StatusCode);
        }

        // A browser talking to the backend directly: its X-Forwarded-For is ignored, every claim lands in one bucket.
        using var direct = EdgeFixture.ClientFrom("127.0.0.12", fixture.Backend.BaseAddress);
        await ExhaustSignInBucketAsync(direct, EdgeFixture.SignInBurst, fixture.NextForwardedAddress);
    }

    [Fact]
    public async Task With_ASPNETCORE_FORWARDEDHEADERS_ENABLED_only_the_configured_proxy_is_believed_and_for_one_hop()
    {
        await using var backend = await StartWithFrameworkSwitchAsync(knownProxies: "127.0.0.1");
        using var proxy = new HttpClient { BaseAddress = backend.BaseAddress };
        using var direct = EdgeFixture.ClientFrom("127.0.0.13", backend.BaseAddress);

        await ExhaustSignInBucketAsync(direct, Burst, fixture.NextForwardedAddress);

        // "C, 127.0.0.1" from the proxy: one hop is 127.0.0.1 itself (a fresh bucket). Applied twice, the middleware
        // would go on to C, whose bucket is empty.
        var client = fixture.NextForwardedAddress();
        await ExhaustSignInBucketAsync(proxy, Burst, () => client);
        using var chained = await WrongSignInAsync(proxy, $"{client}, 127.0.0.1");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, chained.StatusCode);
    }

    [Fact]
    public async Task A_proxy_named_by_host_name_is_believed_at_its_current_addresses_and_no_one_else()
    {
        // As compose names the frontend ("frontend"): here "localhost", which resolves to 127.0.0.1 and ::1.
        await using var backend = fixture.StartBackend(new()
        {
            ["ForwardedHeaders__KnownProxies"] = "localhost",
            ["RateLimits__SignIn__Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__SignIn__ReplenishEvery"] = "00:10:00",
        });
        await backend.WaitUntilHealthyAsync();
        using var proxy = new HttpClient { BaseAddress = backend.BaseAddress };
        using var direct = EdgeFixture.ClientFrom("127.0.0.14", backend.BaseAddress);

        var client = fixture.NextForwardedAddress();
        await ExhaustSignInBucketAsync(proxy, Burst, () => client);
        using (var otherClient = await WrongSignInAsync(proxy, fixture.NextForwardedAddress()))
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, otherClient.StatusCode);
        }

        await ExhaustSignInBucketAsync(direct, Burst, fixture.NextForwardedAddress);
    }

    [Fact]
    public async Task Outside_Development_with_no_proxy_configured_no_forwarded_header_is_believed_even_with_the_framework_switch()
    {
        await using var backend = await StartWithFrameworkSwitchAsync(knownProxies: "");
        using var proxy = new HttpClient { BaseAddress = backend.BaseAddress };

        await ExhaustSignInBucketAsync(proxy, Burst, fixture.NextForwardedAddress);
    }

    private const int Burst = 2;

    private async Task<ServiceProcess> StartWithFrameworkSwitchAsync(string knownProxies)
    {
        var backend = fixture.StartBackend(new()
        {
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
            ["ForwardedHeaders__KnownProxies"] = knownProxies,
            ["RateLimits__SignIn__Burst"] = Burst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimits__SignIn__ReplenishEvery"] = "00:10:00",
        });
        await backend.WaitUntilHealthyAsync();
        return backend;
    }

    /// <summary>
    /// <paramref name="burst"/> sign-ins get past the bucket (401, unknown account; or 503 if an overloaded machine hits
    /// the request timeout), the next is 429: the requests, each claiming <paramref name="forwardedFor"/>, were all
    /// counted as one client.
    /// </summary>
    private static async Task ExhaustSignInBucketAsync(HttpClient client, int burst, Func<string> forwardedFor)
    {
        for (var n = 0; n < burst; n++)
        {
            using var answered = await WrongSignInAsync(client, forwardedFor());
            Assert.NotEqual(HttpStatusCode.TooManyRequests, answered.StatusCode);
        }

        using var refused = await WrongSignInAsync(client, forwardedFor());
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
    }

    private static Task<HttpResponseMessage> WrongSignInAsync(HttpClient client, string forwardedFor) =>
        EdgeFixture.Send(client, "/api/auth/login", new { email = TestUser.NewEmail(), password = "wrong password" }, forwardedFor);
}
