using Microsoft.Extensions.Options;
using Phase4.Domain.Conversations;
using Phase4.Domain.Data;

namespace Phase4.Backend.Chat;

/// <summary>
/// A chat turn's conversation queries before the first turn (<see cref="IWarmUp"/>), for the empty user id, which has
/// none; beside <see cref="ChatWarmUp"/>, which waits on the MCP server meanwhile.
/// </summary>
internal sealed class ConversationWarmUp(IOptions<AiOptions> ai) : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var conversations = services.GetRequiredService<ConversationStore>();
        await conversations.ChatTurnWaitAsync(Guid.Empty, cancellationToken);
        await conversations.GetAsync(Guid.Empty, 0, cancellationToken);
        await conversations.GetRecentAsync(Guid.Empty, 0, ai.Value.MaxHistoryMessages, cancellationToken);
    }
}
