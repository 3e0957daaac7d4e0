using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Phase4.Backend.Auth;
using Phase4.Domain.Data;

namespace Phase4.Backend.Chat;

/// <summary>
/// A chat turn's own path before the first turn (<see cref="IWarmUp"/>; its queries are <see cref="ConversationWarmUp"/>'s):
/// a real turn through the MCP server as a warm-up token's subject, a new id no account has
/// (<see cref="TokenIssuer.IssueWarmUpMcpToken"/>): the handshake and tool list the next turns reuse
/// (<see cref="McpToolClient"/>), the agent and a read-only tool call, and the reply's JSON. Nothing is stored. With an
/// external model only the MCP part runs: a warm-up never spends a model call. The turn is left out while the MCP
/// server does not report ready, and readiness never waits longer than <see cref="McpLimit"/> for it to answer that.
/// </summary>
internal sealed partial class ChatWarmUp(IOptions<AiOptions> ai, IOptions<McpConnectionOptions> mcp, ILogger<ChatWarmUp> logger) : IWarmUp
{
    private static readonly TimeSpan McpLimit = TimeSpan.FromSeconds(3);

    /// <summary>Read-only (the warm-up token may call nothing else), and one the builtin model answers with list_tasks.</summary>
    private const string Question = "What is pending?";

    public async Task RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!await McpServerReadyAsync(services, cancellationToken))
        {
            // Usual while a whole release starts at once: this process serves, and its first turn makes the handshake.
            LogMcpServerNotReady(logger);
            return;
        }

        var token = services.GetRequiredService<TokenIssuer>().IssueWarmUpMcpToken();
        // Twice: the first turn makes the MCP handshake, the second resumes it as every later turn does.
        for (var turn = 0; turn < 2; turn++)
        {
            // Bounded only by every warm-up's limit: on a busy node the turns' first run (mostly JIT) alone takes
            // seconds, and an MCP server that has just answered is not what holds them up.
            var answer = await TurnAsync(services, token, cancellationToken);
            JsonSerializer.Serialize(new ChatReply(0, answer.Text, answer.ToolCalls), ChatJsonContext.Default.ChatReply);
        }
    }

    private async Task<AgentAnswer> TurnAsync(IServiceProvider services, IssuedToken token, CancellationToken cancellationToken)
    {
        if (!ai.Value.UsesOpenAI)
        {
            return await services.GetRequiredService<ChatAgent>().AnswerAsync(token, [], Question, cancellationToken);
        }

        await using var session = await services.GetRequiredService<McpToolClient>().ConnectAsync(token.AccessToken, cancellationToken);
        var listTasks = session.Tools.First(tool => tool.Name == "list_tasks");
        await listTasks.InvokeAsync(new AIFunctionArguments { ["status"] = "pending" }, cancellationToken);
        return new AgentAnswer("", []);
    }

    /// <summary>Whether the MCP server reports ready (its <c>/health</c>): the warm-up turn needs it, readiness does not.</summary>
    private async Task<bool> McpServerReadyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(McpLimit);
        try
        {
            using var http = services.GetRequiredService<IHttpClientFactory>().CreateClient(McpToolClient.HttpClientName);
            using var response = await http.GetAsync(new Uri(mcp.Value.Endpoint, Extensions.HealthEndpointPath), bounded.Token);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The MCP server is not ready: the chat warm-up leaves out the tool calls")]
    private static partial void LogMcpServerNotReady(ILogger logger);
}
