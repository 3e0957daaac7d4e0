using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Phase4.Backend.Auth;
using Phase4.Domain.Accounts;
using Phase4.Domain.Conversations;
using Phase4.ServiceDefaults.Security;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Phase4.Backend.Chat;

/// <summary>What the agent answered in one turn, and the tool calls it made on the way.</summary>
public sealed record AgentAnswer(string Text, IReadOnlyList<ToolCallRecord> ToolCalls);

/// <summary>The model endpoint or the MCP server could not be used: the turn is answered with 503.</summary>
public sealed class ChatDependencyUnavailableException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>
/// Runs one chat turn: connects to the MCP server as the signed-in user (a short-lived MCP-audience token), offers its
/// tools to the model pipeline (function invocation, logging, OpenTelemetry) with the stored history (each reply with
/// its tool calls and results), and collects the answer and every tool call. Nothing of the user is kept between turns
/// (the server's tool list is: <see cref="McpToolClient"/>).
/// </summary>
public sealed partial class ChatAgent(
    IChatClient model, McpToolClient toolClient, TokenIssuer tokens, AccountTokens accountTokens, IOptions<JwtOptions> jwt,
    ILogger<ChatAgent> logger)
{
    public async Task<AgentAnswer> AnswerAsync(
        Guid userId, string email, IReadOnlyList<MessageView> history, string message, CancellationToken cancellationToken)
    {
        // The current MCP token version, like any MCP token: revoking MCP access does not stop the app's own assistant.
        var mcpTokenVersion = await accountTokens.GetMcpTokenVersionAsync(userId, cancellationToken) ?? 0;
        var token = tokens.IssueMcpToken(userId, email, mcpTokenVersion, jwt.Value.AgentTokenLifetime);
        return await AnswerAsync(token, history, message, cancellationToken);
    }

    /// <summary>Answers with the tools acting as <paramref name="token"/>'s subject (the warm-up passes its own token).</summary>
    public async Task<AgentAnswer> AnswerAsync(
        IssuedToken token, IReadOnlyList<MessageView> history, string message, CancellationToken cancellationToken)
    {
        McpToolSession session;
        try
        {
            session = await toolClient.ConnectAsync(token.AccessToken, cancellationToken);
        }
        catch (Exception e) when (IsOutage(e, cancellationToken))
        {
            LogToolServerUnavailable(logger, e.GetType().Name, e.Message);
            throw new ChatDependencyUnavailableException("The task tool server is unavailable; your message was saved, retry shortly.", e);
        }

        await using (session)
        {
            List<AIChatMessage> messages =
            [
                new(ChatRole.System, AgentInstructions.Text),
                .. ChatTranscript.FromHistory(history),
                new(ChatRole.User, message),
            ];

            ChatResponse response;
            try
            {
                response = await model.GetResponseAsync(messages, new ChatOptions { Tools = [.. session.Tools] }, cancellationToken);
            }
            catch (Exception e) when (IsOutage(e, cancellationToken))
            {
                // Provider error texts can echo request details; the type and status are enough to diagnose.
                LogModelUnavailable(logger, e.GetType().Name, (e as System.ClientModel.ClientResultException)?.Status);
                throw new ChatDependencyUnavailableException("The assistant's model is unavailable; your message was saved, retry shortly.", e);
            }

            // A tool server that goes away mid-turn shows up as failed calls, which the loop hands to the model.
            if (response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>()
                .FirstOrDefault(r => r.Exception is not null && IsOutage(r.Exception, cancellationToken)) is { } failed)
            {
                LogToolServerUnavailable(logger, failed.Exception!.GetType().Name, failed.Exception.Message);
                // The remembered tools may be what failed (another release of the server): the next turn asks anew.
                toolClient.Forget();
                throw new ChatDependencyUnavailableException(
                    "The task tool server stopped answering; your message was saved, retry shortly.", failed.Exception);
            }

            return new AgentAnswer(FinalText(response), ChatTranscript.ToolCalls(response.Messages));
        }
    }

    private static string FinalText(ChatResponse response) =>
        response.Messages.LastOrDefault(m => m.Role == ChatRole.Assistant && !string.IsNullOrWhiteSpace(m.Text))?.Text
        ?? "Sorry, I have no answer to that. I can add, list, complete, delete and update your tasks.";

    /// <summary>Network failures, timeouts and error statuses of a dependency; not the caller hanging up.</summary>
    private static bool IsOutage(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or TimeoutException or OperationCanceledException or IOException
                or System.ClientModel.ClientResultException or ModelContextProtocol.McpException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MCP tool server unavailable for a chat turn ({Exception}: {Reason})")]
    private static partial void LogToolServerUnavailable(ILogger logger, string exception, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat model endpoint unavailable ({Exception}, HTTP status {Status})")]
    private static partial void LogModelUnavailable(ILogger logger, string exception, int? status);
}
