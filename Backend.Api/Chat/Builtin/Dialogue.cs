using Microsoft.Extensions.AI;

namespace Phase4.Backend.Chat.Builtin;

/// <summary>
/// The parts of the message list the builtin assistant reads: the latest request, the tool calls made for it so far
/// (the function-invocation loop appends them), the previous answer and the earlier requests.
/// </summary>
public sealed record Dialogue(
    string Request,
    IReadOnlyList<ToolExchange> Exchanges,
    string? PreviousAnswer,
    IReadOnlyList<string> EarlierRequests,
    int CallsSoFar)
{
    public static Dialogue From(IEnumerable<ChatMessage> messages)
    {
        var list = messages.ToList();
        var requestIndex = list.FindLastIndex(m => m.Role == ChatRole.User);

        var calls = new Dictionary<string, FunctionCallContent>(StringComparer.Ordinal);
        var exchanges = new List<ToolExchange>();
        foreach (var message in list.Skip(requestIndex + 1))
        {
            foreach (var content in message.Contents)
            {
                if (content is FunctionCallContent call)
                {
                    calls[call.CallId] = call;
                }
                else if (content is FunctionResultContent result && calls.TryGetValue(result.CallId, out var matched))
                {
                    exchanges.Add(new ToolExchange(matched.Name, ToolOutcome.From(result)));
                }
            }
        }

        var earlier = list.Take(Math.Max(requestIndex, 0)).ToList();
        var previousAnswer = earlier.LastOrDefault(m => m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text))?.Text;
        var earlierRequests = earlier.Where(m => m.Role == ChatRole.User).Select(m => m.Text).Reverse().ToList();

        return new Dialogue(
            requestIndex >= 0 ? list[requestIndex].Text : string.Empty,
            exchanges,
            previousAnswer,
            earlierRequests,
            list.Sum(m => m.Contents.OfType<FunctionCallContent>().Count()));
    }
}
