using System.Text;

namespace Phase4.Mcp.Limits;

/// <summary>
/// Refusals MCP clients understand: the HTTP status (413, 408, 429 with <c>Retry-After</c>, 503) carrying a JSON-RPC
/// error body shaped as the SDK's own transport errors (code -32000, the request's id when it could be read).
/// </summary>
internal static class McpErrors
{
    /// <summary>The JSON-RPC "server error" code the SDK uses for errors it answers at the HTTP level.</summary>
    public const int ServerErrorCode = -32000;

    public static async Task WriteAsync(HttpContext http, int statusCode, string message, TimeSpan? retryAfter = null)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        if (retryAfter is { } delay)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var id = http.Features.Get<McpMessage>()?.RawId ?? "null";
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"error\":{{\"code\":{ServerErrorCode},\"message\":{System.Text.Json.JsonSerializer.Serialize(message)}}}}}";
        await http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), http.RequestAborted);
    }
}
