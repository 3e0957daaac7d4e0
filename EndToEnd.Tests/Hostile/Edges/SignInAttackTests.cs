using System.Net;
using System.Net.Sockets;
using System.Text;
using Phase4.Tests.Api.Support;

namespace Phase4.Tests.Hostile.Edges;

/// <summary>
/// Attacks on sign-in and sign-up: racing the throttle, guessing from many addresses, locking the owner out, flooding
/// from one address, trickling a body. Each attacker and each owner is a real connection from its own loopback address.
/// </summary>
[Collection(EdgeServices.Name)]
public sealed class SignInAttackTests(EdgeFixture fixture)
{
    private const int FreeFailures = 5;

    [Fact]
    public async Task Two_hundred_concurrent_wrong_passwords_for_one_account_check_no_more_passwords_than_the_free_failures()
    {
        using var victim = await fixture.CreateUserAsync();
        // A replica whose address bucket and hashing pool let all 200 through to the account's throttle.
        await using var backend = fixture.StartBackend(new()
        {
            ["RateLimits__SignIn__Burst"] = "1000",
            ["RateLimits__AnonymousConcurrency"] = "256",
        });
        await backend.WaitUntilHealthyAsync();
        using var attacker = EdgeFixture.ClientFrom("127.0.0.20", backend.BaseAddress);

        var guesses = Enumerable.Range(0, 200)
            .Select(n => EdgeFixture.Send(attacker, "/api/auth/login", new { email = victim.Email, password = $"guess {n}" }))
            .ToList();
        var statuses = (await Task.WhenAll(guesses)).Select(response => { using (response) { return response.StatusCode; } }).ToList();

        // Evidence independent of the answers: the backend logs one line per password it checked and found wrong.
        // (On a badly overloaded machine a request can hit the 10 s request timeout, 503, before its check: fewer,
        // never more.)
        var checkedPasswords = CountOccurrences(backend.Output, $"wrong password for account {victim.Id:D}");
        Assert.InRange(checkedPasswords, 1, FreeFailures);
        Assert.Equal(checkedPasswords, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests
            or HttpStatusCode.ServiceUnavailable, $"unexpected {s}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.TooManyRequests) >= 150, "most guesses are refused unchecked");
    }

    [Fact]
    public async Task Guesses_from_sixty_addresses_check_at_most_the_free_failures_while_the_owner_with_a_device_token_signs_in_throughout()
    {
        using var owner = await fixture.CreateUserAsync();
        // A replica whose per-address buckets and hashing pool would let every guess through, and whose first lockout
        // outlasts the test: whatever is checked here is the whole budget an attacker gets before the backoff. (With
        // the default queue, 32 per core, the pool refused a third of the wave, and the owner too whenever a sign-in
        // arrived while the queue was full.)
        await using var backend = fixture.StartBackend(new()
        {
            ["RateLimits__SignIn__Burst"] = "1000",
            ["RateLimits__AnonymousConcurrency"] = "64",
            ["RateLimits__AnonymousQueue"] = "256",
            ["SignInThrottle__BaseLockout"] = "00:10:00",
            ["SignInThrottle__MaxLockout"] = "00:10:00",
        });
        await backend.WaitUntilHealthyAsync();
        var right = new { email = owner.Email, password = TestUser.DefaultPassword };
        using var ownersBrowser = EdgeFixture.ClientFrom("127.0.0.30", backend.BaseAddress);
        string deviceToken;
        using (var earlier = await EdgeFixture.Send(ownersBrowser, "/api/auth/login", right))
        {
            Assert.Equal(HttpStatusCode.OK, earlier.StatusCode);
            deviceToken = (string)(await earlier.ReadJsonAsync())["device_token"]!;
        }

        // Sixty attackers at 127.0.1.1 ... 127.0.1.60, three guesses each, all at once.
        var attackers = Enumerable.Range(1, 60).Select(n => EdgeFixture.ClientFrom($"127.0.1.{n}", backend.BaseAddress)).ToList();
        var guesses = attackers.SelectMany((client, n) => Enumerable.Range(0, 3)
            .Select(g => EdgeFixture.Send(client, "/api/auth/login", new { email = owner.Email, password = $"guess {n}-{g}" }))).ToList();
        for (var n = 0; n < 5; n++)
        {
            using var signedIn = await EdgeFixture.Send(ownersBrowser, "/api/auth/login", right, bearer: null, deviceToken: deviceToken);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            deviceToken = (string)(await signedIn.ReadJsonAsync())["device_token"]!;
        }

        var statuses = (await Task.WhenAll(guesses)).Select(response => { using (response) { return response.StatusCode; } }).ToList();
        attackers.ForEach(client => client.Dispose());
        var checkedPasswords = CountOccurrences(backend.Output, $"wrong password for account {owner.Id:D}");
        Assert.InRange(checkedPasswords, 1, FreeFailures);
        Assert.Equal(checkedPasswords, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(180 - checkedPasswords, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(0, CountOccurrences(backend.Output, "Refused a request to /api/auth/login with 429"));

        // Every client without the device token is locked out now, the right password included; the device is not.
        using (var newDevice = EdgeFixture.ClientFrom("127.0.0.31", backend.BaseAddress))
        using (var refused = await EdgeFixture.Send(newDevice, "/api/auth/login", right))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }

        using var afterwards = await EdgeFixture.Send(ownersBrowser, "/api/auth/login", right, bearer: null, deviceToken: deviceToken);
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_failure_budget_left_alone_is_forgotten_and_its_row_deleted()
    {
        using var owner = await fixture.CreateUserAsync();
        using var other = await fixture.CreateUserAsync();
        await using var backend = fixture.StartBackend(new()
        {
            ["SignInThrottle__BaseLockout"] = "00:00:01",
            ["SignInThrottle__MaxLockout"] = "00:00:01",
            ["SignInThrottle__ForgetAfter"] = "00:00:02",
        });
        await backend.WaitUntilHealthyAsync();
        using var guesser = EdgeFixture.ClientFrom("127.0.0.32", backend.BaseAddress);
        for (var n = 0; n < 2; n++)
        {
            using var wrong = await EdgeFixture.Send(guesser, "/api/auth/login", new { email = owner.Email, password = "wrong password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        Assert.Equal(1, await ThrottleRowsAsync(owner.Id));
        await Task.Delay(TimeSpan.FromSeconds(3));
        // Any later failure sweeps what was left alone, on any account.
        using (var wrong = await EdgeFixture.Send(guesser, "/api/auth/login", new { email = other.Email, password = "wrong password" }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        Assert.Equal(0, await ThrottleRowsAsync(owner.Id));
    }

    private async Task<long> ThrottleRowsAsync(Guid userId)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM sign_in_throttles WHERE user_id = @user", connection);
        count.Parameters.AddWithValue("user", userId);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task One_address_flooding_sign_ins_does_not_stop_another_address_signing_in_or_its_own_sign_ups()
    {
        using var owner = await fixture.CreateUserAsync();
        using var flooder = EdgeFixture.ClientFrom("127.0.0.2", fixture.Backend.BaseAddress);
        using var ownersBrowser = EdgeFixture.ClientFrom("127.0.0.3", fixture.Backend.BaseAddress);

        // Each request claims another X-Forwarded-For: not from the trusted proxy, so it is ignored.
        var flood = Enumerable.Range(0, 40)
            .Select(n => EdgeFixture.Send(flooder, "/api/auth/login",
                new { email = TestUser.NewEmail(), password = "wrong password" }, forwardedFor: $"203.0.113.{n + 1}"))
            .ToList();
        var statuses = (await Task.WhenAll(flood)).Select(response => { using (response) { return response.StatusCode; } }).ToList();
        Assert.InRange(statuses.Count(s => s != HttpStatusCode.TooManyRequests), 1, EdgeFixture.SignInBurst);

        using (var stillRefused = await EdgeFixture.Send(flooder, "/api/auth/login", new { email = owner.Email, password = TestUser.DefaultPassword }))
        {
            await stillRefused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.True(stillRefused.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(1), "the bucket refills one token every 10 minutes here");
        }

        using (var signedIn = await EdgeFixture.Send(ownersBrowser, "/api/auth/login", new { email = owner.Email, password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        // Sign-up has its own pool: the flooder's exhausted sign-in budget does not touch it.
        using var registered = await EdgeFixture.Send(flooder, "/api/auth/register", new { email = TestUser.NewEmail(), password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
    }

    [Fact]
    public async Task Sign_ups_are_limited_per_address_in_their_own_pool()
    {
        using var registrar = EdgeFixture.ClientFrom("127.0.0.6", fixture.Backend.BaseAddress);
        using var someoneElse = EdgeFixture.ClientFrom("127.0.0.7", fixture.Backend.BaseAddress);
        for (var n = 0; n < EdgeFixture.SignUpBurst; n++)
        {
            using var created = await EdgeFixture.Send(registrar, "/api/auth/register", new { email = TestUser.NewEmail(), password = TestUser.DefaultPassword });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var email = TestUser.NewEmail();
        using (var refused = await EdgeFixture.Send(registrar, "/api/auth/register", new { email, password = TestUser.DefaultPassword }))
        {
            await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        }

        using (var elsewhere = await EdgeFixture.Send(someoneElse, "/api/auth/register", new { email, password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.Created, elsewhere.StatusCode);
        }

        using var signIn = await EdgeFixture.Send(registrar, "/api/auth/login", new { email, password = TestUser.DefaultPassword });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task Trickled_sign_in_bodies_hold_no_hashing_slot_and_are_answered_408_before_the_request_timeout()
    {
        using var owner = await fixture.CreateUserAsync();
        // Three tricklers, one more than the hashing slots (2): if they held slots, the owner would be refused.
        var tricklers = new List<(Socket Socket, Task Trickle)>();
        using var stop = new CancellationTokenSource();
        foreach (var address in new[] { "127.0.0.8", "127.0.0.9", "127.0.0.10" })
        {
            var socket = await TrickleAsync(address);
            tricklers.Add((socket, TrickleBytesAsync(socket, stop.Token)));
        }

        using var ownersBrowser = EdgeFixture.ClientFrom("127.0.0.11", fixture.Backend.BaseAddress);
        using (var signedIn = await EdgeFixture.Send(ownersBrowser, "/api/auth/login", new { email = owner.Email, password = TestUser.DefaultPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        }

        foreach (var (socket, _) in tricklers)
        {
            // 408 from the body deadline (1 s here): not Kestrel's minimum data rate (its grace is 5 s), nor 503 from
            // the 10 s request timeout.
            var response = await ReadResponseAsync(socket);
            Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
            Assert.Contains("did not arrive within 1 s", response, StringComparison.Ordinal);
        }

        await stop.CancelAsync();
        foreach (var (socket, trickle) in tricklers)
        {
            await trickle;
            socket.Dispose();
        }
    }

    private async Task<Socket> TrickleAsync(string localAddress)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
        await socket.ConnectAsync(IPAddress.Loopback, fixture.Backend.BaseAddress.Port);
        var head = "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{";
        await socket.SendAsync(Encoding.ASCII.GetBytes(head));
        return socket;
    }

    /// <summary>One byte every 200 ms: faster than Kestrel's minimum data rate's grace period would notice.</summary>
    private static async Task TrickleBytesAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(200, cancellationToken);
                await socket.SendAsync(" "u8.ToArray(), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the server closed the connection after answering.
        }
    }

    /// <summary>Everything the server sends until it closes the connection (it answers with Connection: close).</summary>
    private static async Task<string> ReadResponseAsync(Socket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var response = new StringBuilder();
        var buffer = new byte[1024];
        try
        {
            for (int received; (received = await socket.ReceiveAsync(buffer, timeout.Token)) > 0;)
            {
                response.Append(Encoding.ASCII.GetString(buffer, 0, received));
            }
        }
        catch (OperationCanceledException)
        {
            // Whatever arrived is the answer to judge.
        }

        return response.ToString();
    }

    private static int CountOccurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
