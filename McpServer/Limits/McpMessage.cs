using System.Text.Json;

namespace Phase4.Mcp.Limits;

/// <summary>
/// What the limits need to know of a buffered MCP POST before the SDK parses it: its JSON-RPC method and id. Only the
/// top level is read; anything else (a batch array, malformed JSON) is <see cref="Unclassified"/> and is counted as a
/// tool call, the costliest kind, while the SDK answers it as it sees fit.
/// </summary>
internal sealed record McpMessage(string? Method, string? RawId)
{
    public static readonly McpMessage Unclassified = new(null, null);

    public bool CountsAsToolCall => Method is null or "tools/call";

    public static McpMessage Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Unclassified;
            }

            string? method = null;
            string? id = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (name == "method" && reader.TokenType == JsonTokenType.String)
                {
                    method = reader.GetString();
                }
                else if (name == "id" && reader.TokenType == JsonTokenType.Number)
                {
                    id = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                }
                else if (name == "id" && reader.TokenType == JsonTokenType.String)
                {
                    id = JsonSerializer.Serialize(reader.GetString());
                }
                else
                {
                    reader.Skip();
                }
            }

            return method is null ? Unclassified with { RawId = id } : new McpMessage(method, id);
        }
        catch (JsonException)
        {
            return Unclassified;
        }
    }
}
