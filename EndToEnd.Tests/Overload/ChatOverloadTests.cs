using System.Net;
using System.Text.Json.Nodes;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Chat.EndToEnd;

namespace Phase4.Tests.Overload;

/// <summary>The chat stack with the <c>openai</c> provider on <see cref="FakeOpenAIServer"/> and a chat limit of 2.</summary>
public sealed class ChatLimitFixture : FakeModelChatFixture
{
    public const int ChatConcurrency = 2;
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(7);

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["RateLimits__ChatConcurrency"] = ChatConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits__ChatQueue"] = "0",
        ["RateLimits__RetryAfter"] = RetryAfter.ToString(),
    };
}

/// <summary>
/// Chat turns are limited per account more tightly than the rest of the API. The fake model holds the turns whose
/// message carries <see cref="HoldMarker"/> until the test releases them, and counts their arrival, so the account's
/// turns are provably in progress when one more is refused.
/// </summary>
public sealed class ChatOverloadTests(ChatLimitFixture fixture) : IClassFixture<ChatLimitFixture>
{
    private const string HoldMarker = "hold-this-turn";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private readonly FakeOpenAIServer _model = fixture.FakeModel;

    [Fact]
    public async Task An_account_past_its_chat_limit_gets_429_with_Retry_After_while_its_tasks_and_other_accounts_chats_are_served()
    {
        using var busy = await fixture.Services.CreateUserAsync();
        using var other = await fixture.Services.CreateUserAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _model.Script = _ => FakeOpenAIServer.Text("Noted.");
        _model.BeforeAnswer = body => IsHeld(body) ? release.Task : Task.CompletedTask;
        try
        {
            var held = Enumerable.Range(1, ChatLimitFixture.ChatConcurrency)
                .Select(n => busy.PostChatAsync($"{HoldMarker} {n}")).ToList();
            await WaitForHeldTurnsAsync(ChatLimitFixture.ChatConcurrency);

            using (var refused = await busy.PostChatAsync("one turn too many"))
            {
                await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
                Assert.Equal(ChatLimitFixture.RetryAfter, refused.Headers.RetryAfter?.Delta);
            }

            // The chat budget is the account's own: its task API and another account's chat are unaffected.
            using (var tasks = await busy.Client.GetAsync(busy.Tasks))
            {
                Assert.Equal(HttpStatusCode.OK, tasks.StatusCode);
            }

            Assert.Equal("Noted.", (string)(await other.ChatAsync("hello"))["response"]!);
            Assert.All(held, turn => Assert.False(turn.IsCompleted));
            Assert.Equal(ChatLimitFixture.ChatConcurrency, HeldArrivals());

            release.SetResult();
            foreach (var turn in held)
            {
                using var response = await turn;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal("Noted.", (string)(await busy.ChatAsync("and now?"))["response"]!);
        }
        finally
        {
            release.TrySetResult();
            _model.BeforeAnswer = _ => Task.CompletedTask;
        }
    }

    private static bool IsHeld(JsonObject body) => body.ToJsonString().Contains(HoldMarker, StringComparison.Ordinal);

    private int HeldArrivals() => _model.Requests.Count(request => IsHeld(request.Body));

    private async Task WaitForHeldTurnsAsync(int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (HeldArrivals() < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Only {HeldArrivals()} of {count} held turns reached the model within {Patience}.");
            await Task.Delay(50);
        }
    }
}
