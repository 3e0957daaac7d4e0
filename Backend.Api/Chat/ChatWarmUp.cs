using System.Text.Json;
using Microsoft.Extensions.Options;
using Phase4.Backend.Auth;
using Phase4.Domain.Conversations;
using Phase4.Domain.Data;

namespace Phase4.Backend.Chat;

/// <summary>
/// A chat turn's own path before the first turn (<see cref="IWarmUp"/>): the conversation queries (for the empty
/// user id, which has none), an MCP token signed and thrown away, and the reply's JSON. The MCP handshake is not part
/// of it: the MCP server accepts no token for a user who does not exist, and readiness must not wait for the MCP
/// server (the first turn makes the handshake, <see cref="McpToolClient"/>).
/// </summary>
internal sealed class ChatWarmUp(IOptions<AiOptions> ai) : IWarmUp
{
    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var conversations = services.GetRequiredService<ConversationStore>();
        await conversations.ChatTurnWaitAsync(Guid.Empty, cancellationToken);
        await conversations.GetAsync(Guid.Empty, 0, cancellationToken);
        await conversations.GetRecentAsync(Guid.Empty, 0, ai.Value.MaxHistoryMessages, cancellationToken);
        services.GetRequiredService<TokenIssuer>().IssueMcpToken(Guid.Empty, "warm-up@example.invalid", 0, TimeSpan.FromMinutes(1));
        JsonSerializer.Serialize(new ChatReply(0, "", [new ToolCallRecord("add_task", null, null)]), ChatJsonContext.Default.ChatReply);
    }
}
