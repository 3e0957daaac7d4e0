using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Phase4.Backend.Chat;

namespace Phase4.Tests.Chat;

/// <summary>Tool results arrive in several forms; each becomes the JSON value stored in <c>tool_calls[].result</c>.</summary>
public sealed class ToolOutcomeTests
{
    [Fact]
    public void A_structured_mcp_result_yields_the_json_of_its_text_which_older_clients_read()
    {
        var envelope = JsonSerializer.SerializeToElement(JsonNode.Parse(
            """{"content":[{"type":"text","text":"[{\"id\":1,\"title\":\"A\"}]"}],"structuredContent":{"tasks":[{"id":1,"title":"A"}]}}"""));

        var outcome = ToolOutcome.From(new FunctionResultContent("c1", envelope));

        Assert.False(outcome.Failed);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"id":1,"title":"A"}]"""), outcome.ToResultJson()));
    }

    [Fact]
    public void A_structured_result_with_plain_text_yields_the_structured_object()
    {
        var envelope = JsonSerializer.SerializeToElement(JsonNode.Parse(
            """{"content":[{"type":"text","text":"done"}],"structuredContent":{"task_id":3}}"""));

        var outcome = ToolOutcome.From(new FunctionResultContent("c1", envelope));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"task_id":3}"""), outcome.ToResultJson()));
    }

    [Fact]
    public void An_mcp_tool_error_yields_its_message()
    {
        var envelope = JsonSerializer.SerializeToElement(JsonNode.Parse(
            """{"content":[{"type":"text","text":"Task 9 was not found."}],"isError":true}"""));

        var outcome = ToolOutcome.From(new FunctionResultContent("c1", envelope));

        Assert.Equal("Task 9 was not found.", outcome.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"error":"Task 9 was not found."}"""), outcome.ToResultJson()));
    }

    [Theory]
    [InlineData("""{"task_id":4,"status":"created","title":"A"}""", """{"task_id":4,"status":"created","title":"A"}""")]
    [InlineData("plain words", "\"plain words\"")]
    [InlineData("{not json", "\"{not json\"")]
    public void Text_content_is_parsed_as_json_when_it_is_json(string text, string expected)
    {
        var outcome = ToolOutcome.From(new FunctionResultContent("c1", new TextContent(text)));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), outcome.ToResultJson()));
    }

    [Fact]
    public void A_failed_invocation_yields_the_exception_message()
    {
        var outcome = ToolOutcome.From(new FunctionResultContent("c1", "Error: Function failed.") { Exception = new HttpRequestException("Connection refused") });

        Assert.Equal("Connection refused", outcome.Error);
    }
}
