using System.Text.Json;
using System.Text.Json.Nodes;
using Phase4.Backend.Chat;
using Phase4.Domain.Conversations;

namespace Phase4.Tests.Chat;

/// <summary>
/// Conversations resume after restarts from their stored <c>tool_calls</c>: the JSON written before tool results
/// became <see cref="ToolOutcome"/>s (each result the tool's value, <c>{"error": ...}</c>, or null) still loads, means
/// the same, and is written back unchanged.
/// </summary>
public sealed class StoredToolCallsTests
{
    // The format every release so far has stored in messages.tool_calls, copied from a stored row.
    private const string StoredBeforeOutcomes =
        """[{"name":"add_task","arguments":{"title":"Pay bills"},"result":{"task_id":4,"status":"created","title":"Pay bills"}},""" +
        """{"name":"list_tasks","arguments":{},"result":[{"id":4,"title":"Pay bills","description":null,"completed":false,"created_at":"2026-12-01T10:00:00+00:00"}]},""" +
        """{"name":"delete_task","arguments":{"task_id":9},"result":{"error":"Task 9 was not found."}},""" +
        """{"name":"complete_task","arguments":{"task_id":4},"result":null}]""";

    private static readonly JsonSerializerOptions ApiJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    [Fact]
    public void Stored_results_load_as_values_failures_and_missing_results()
    {
        var calls = Load(StoredBeforeOutcomes);

        Assert.Equal(["add_task", "list_tasks", "delete_task", "complete_task"], calls.Select(c => c.Name));
        Assert.False(calls[0].Result!.Failed);
        Assert.Equal(4, calls[0].Result!.Value!["task_id"]!.GetValue<int>());
        Assert.IsType<JsonArray>(calls[1].Result!.Value);
        Assert.True(calls[2].Result!.Failed);
        Assert.Equal("Task 9 was not found.", calls[2].Result!.Error);
        Assert.Null(calls[3].Result);
    }

    [Fact]
    public void Stored_tool_calls_are_written_back_as_they_were_stored()
    {
        var written = JsonSerializer.SerializeToNode(Load(StoredBeforeOutcomes), ApiJson);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(StoredBeforeOutcomes), written), written?.ToJsonString());
    }

    [Fact]
    public void A_stored_failure_goes_back_to_the_model_as_the_same_error_object()
    {
        var history = ChatTranscript.FromHistory([Message(StoredBeforeOutcomes)]);
        var readBack = ChatTranscript.ToolCalls(history);

        Assert.Equal("Task 9 was not found.", readBack[2].Result?.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error":"Task 9 was not found."}"""), readBack[2].Result?.ToResultJson()));
    }

    /// <summary>Reads stored tool calls the way the messages endpoint does.</summary>
    private static List<ToolCallRecord> Load(string toolCallsJson) => MessageResponse.From(Message(toolCallsJson)).ToolCalls!;

    private static MessageView Message(string toolCallsJson) =>
        new(2, MessageRoles.Assistant, "Added task 4; task 9 was not found.", toolCallsJson, DateTimeOffset.UnixEpoch);
}
