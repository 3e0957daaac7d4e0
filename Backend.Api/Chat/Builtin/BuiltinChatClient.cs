using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// The offline assistant: an <see cref="IChatClient"/> that understands everyday English task requests and acts only
/// by asking for calls to the tools in <see cref="ChatOptions.Tools"/> (the MCP server's), which the
/// function-invocation loop performs and reports back. It holds no state: each call re-reads the messages.
/// </summary>
public sealed class BuiltinChatClient : IChatClient
{
    public const string ModelName = "phase4-builtin";

    private static readonly ChatClientMetadata Metadata = new("phase4-builtin", providerUri: null, defaultModelId: ModelName);

    public Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var dialogue = Dialogue.From(messages);
        var step = TaskPlanner.Next(EnglishIntentReader.Read(dialogue.Request, dialogue.Context), dialogue.Done);
        // A step needing a tool the MCP server does not offer is answered instead: the task list is out of reach.
        var reply = step is PlannedStep.CallTool call && options?.Tools?.Any(t => t.Name == call.Name) == true
            ? new ChatMessage(ChatRole.Assistant,
                [new FunctionCallContent(string.Create(CultureInfo.InvariantCulture, $"builtin_call_{dialogue.CallCount + 1}"), call.Name, call.Arguments)])
            : new ChatMessage(ChatRole.Assistant, (step as PlannedStep.Answer)?.Text ?? Replies.ToolUnavailable);
        return Task.FromResult(new ChatResponse(reply)
        {
            ModelId = ModelName,
            FinishReason = reply.Contents is [FunctionCallContent] ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
        });
    }

    /// <summary>Streams the same answer as <see cref="GetResponseAsync"/>, in one piece.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // Nothing to release: the client holds no resources.
    }
}
