using Microsoft.Extensions.Options;

namespace Phase4.Mcp.Limits;

/// <summary>
/// Reads an MCP POST body whole, within <see cref="McpLimitOptions.BodyReadTimeout"/> and at most
/// <see cref="McpLimitOptions.MaxRequestBodyBytes"/>, before the limits admit the request and before the SDK parses
/// it: a declared length over the limit is refused at once and a chunked body as soon as it passes it (Kestrel's
/// own limit), so no request can make the server hold more than that; a trickled body holds no slot and gets 408.
/// The JSON-RPC method is noted for the tool-call rate limit (<see cref="McpMessage"/>).
/// </summary>
internal static partial class McpRequestBody
{
    public static IApplicationBuilder UseMcpRequestBody(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || !McpLimits.IsMcpPath(http.Request.Path))
            {
                await next(http);
                return;
            }

            var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpRequestBody));
            if (http.Request.ContentLength > McpLimitOptions.MaxRequestBodyBytes)
            {
                await RefuseTooLargeAsync(http, logger);
                return;
            }

            var timeout = http.RequestServices.GetRequiredService<IOptions<McpLimitOptions>>().Value.BodyReadTimeout;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            deadline.CancelAfter(timeout);
            var body = new MemoryStream();
            try
            {
                await http.Request.Body.CopyToAsync(body, deadline.Token);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseTooLargeAsync(http, logger);
                return;
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                LogSlowBody(logger);
                http.Response.Headers.Connection = "close";
                await McpErrors.WriteAsync(http, StatusCodes.Status408RequestTimeout,
                    $"The request body did not arrive within {timeout.TotalSeconds:0.#} s.");
                return;
            }

            body.Position = 0;
            http.Request.Body = body;
            http.Features.Set(McpMessage.Read(body.GetBuffer().AsSpan(0, (int)body.Length)));
            await next(http);
        });

    private static Task RefuseTooLargeAsync(HttpContext http, ILogger logger)
    {
        LogTooLarge(logger);
        // The rest of the body is not read: the connection cannot be reused.
        http.Response.Headers.Connection = "close";
        return McpErrors.WriteAsync(http, StatusCodes.Status413PayloadTooLarge,
            $"The request body is larger than {McpLimitOptions.MaxRequestBodyBytes} bytes, more than any legal MCP message to this server.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 413 to an MCP request: its body is over the limit")]
    private static partial void LogTooLarge(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 408 to an MCP request: its body did not arrive in time")]
    private static partial void LogSlowBody(ILogger logger);
}
