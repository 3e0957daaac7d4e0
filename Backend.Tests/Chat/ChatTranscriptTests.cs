using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Phase4.Backend.Chat;
using Phase4.Domain.Conversations;

namespace Phase4.Tests.Chat;

/// <summary>Stored turns go back to the model with their tool calls and results, in the function-invocation loop's shape.</summary>
public sealed class ChatTranscriptTests
{
    private const string StoredToolCalls =
        """[{"name":"add_task","arguments":{"title":"Pay bills"},"result":{"task_id":4,"status":"created","title":"Pay bills"}},""" +
        """{"name":"delete_task","arguments":{"task_id":9},"result":{"error":"Task 9 was not found."}}]""";

    [Fact]
    public void A_stored_reply_becomes_its_tool_calls_their_results_and_then_its_text()
    {
        var now = DateTimeOffset.UnixEpoch;
        MessageView[] history =
        [
            new(1, MessageRoles.User, "Add pay bills and delete task 9", null, now),
            new(2, MessageRoles.Assistant, "Added task 4; task 9 was not found.", StoredToolCalls, now),
            new(3, MessageRoles.User, "thanks", null, now),
            new(4, MessageRoles.Assistant, "You're welcome!", null, now),
        ];

        var messages = ChatTranscript.FromHistory(history);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant, ChatRole.User, ChatRole.Assistant], messages.Select(m => m.Role));
        var calls = messages[1].Contents.OfType<FunctionCallContent>().ToList();
        var results = messages[2].Contents.OfType<FunctionResultContent>().ToList();
        Assert.Equal(["add_task", "delete_task"], calls.Select(c => c.Name));
        Assert.Equal(calls.Select(c => c.CallId), results.Select(r => r.CallId));
        Assert.Equal("Added task 4; task 9 was not found.", messages[3].Text);

        // Read back, the calls are what was stored: arguments, results and the failure alike.
        var readBack = ChatTranscript.ToolCalls(messages);
        var readBackJson = new JsonArray([.. readBack.Select(c =>
            (JsonNode)new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments?.DeepClone(), ["result"] = c.Result?.ToResultJson() })]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(StoredToolCalls), readBackJson));
        Assert.Equal("Task 9 was not found.", readBack[1].Result?.Error);
    }
}
