using Microsoft.Extensions.AI;
using Phase4.Backend.Chat;
using Phase4.Backend.Chat.Builtin;

namespace Phase4.Tests.Chat.Builtin;

/// <summary>
/// Talks to the builtin assistant through a real <see cref="FunctionInvokingChatClient"/>, keeping the history the way
/// the chat agent hands stored turns back (<see cref="ChatTranscript"/>): the user's text, and each reply with its
/// tool calls and their results.
/// </summary>
public sealed class BuiltinConversation : IDisposable
{
    private readonly IChatClient _client = new ChatClientBuilder(new BuiltinChatClient()).UseFunctionInvocation().Build();
    private readonly List<ChatMessage> _history = [];

    public InMemoryTaskTools Server { get; } = new();

    /// <summary>The tools offered to the assistant; tests may remove some.</summary>
    public IList<AITool> Tools { get; set; }

    public BuiltinConversation() => Tools = Server.Tools;

    /// <summary>The last response, tool calls and results included.</summary>
    public ChatResponse? LastResponse { get; private set; }

    public async Task<string> SayAsync(string message)
    {
        Server.Calls.Clear();
        _history.Add(new ChatMessage(ChatRole.User, message));
        LastResponse = await _client.GetResponseAsync(_history, new ChatOptions { Tools = Tools });
        var answer = LastResponse.Messages.Last().Text;
        _history.AddRange(ChatTranscript.AssistantTurn(answer, ChatTranscript.ToolCalls(LastResponse.Messages), $"turn{_history.Count}"));
        return answer;
    }

    /// <summary>The tools called during the last message, in order.</summary>
    public IEnumerable<string> CalledTools => Server.Calls.Select(c => c.Name);

    public void Dispose() => _client.Dispose();
}
