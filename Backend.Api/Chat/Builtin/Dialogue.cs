using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// The parts of the message list the builtin assistant reads: the latest request with the tool calls made for it so
/// far (the function-invocation loop appends them), and the previous request with the tool calls of its turn (the chat
/// agent hands stored turns back with their tool calls and results, see <see cref="ChatTranscript"/>).
/// </summary>
public sealed record Dialogue(string Request, IReadOnlyList<ToolCallRecord> Done, TurnContext Context, int CallCount)
{
    public static Dialogue From(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        var request = list.FindLastIndex(m => m.Role == ChatRole.User);
        var previous = request > 0 ? list.FindLastIndex(request - 1, m => m.Role == ChatRole.User) : -1;
        return new Dialogue(
            request >= 0 ? list[request].Text : string.Empty,
            ChatTranscript.ToolCalls(list.Skip(request + 1)),
            previous >= 0 ? TurnContext.Replay(list[previous].Text, ChatTranscript.ToolCalls(list.Take(request).Skip(previous + 1))) : TurnContext.None,
            list.Sum(m => m.Contents.OfType<FunctionCallContent>().Count()));
    }
}

/// <summary>What the previous turn left for this one: a question the user may be answering, and the one task it acted on.</summary>
public sealed record TurnContext(PendingChoice? Choice, int? LastTaskId)
{
    public static readonly TurnContext None = new(null, null);

    /// <summary>
    /// Replays the previous request against the tool calls stored with it, so a question asked there ("Which one
    /// should I delete?") and its candidates come back as data, never from the wording of the reply.
    /// </summary>
    public static TurnContext Replay(string request, IReadOnlyList<ToolCallRecord> done)
    {
        var choice = EnglishIntentReader.Read(request, None) is TaskActionIntent pending && TaskPlanner.Next(pending, done) is PlannedStep.Answer answer
            ? answer.Choice
            : null;
        var touched = done
            .Where(call => call.Name != TaskPlanner.ListTasks && call.Result is not { Failed: true })
            .Select(call => TaskItem.ResultOf(call.Result?.Value).TaskId ?? TaskItem.ReadId((call.Arguments as JsonObject)?["task_id"]))
            .OfType<int>()
            .Distinct()
            .ToList();
        return new TurnContext(choice, touched.Count == 1 ? touched[0] : null);
    }
}
