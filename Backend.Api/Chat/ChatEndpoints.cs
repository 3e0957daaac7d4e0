using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Phase4.Backend.Auth;
using Phase4.Backend.Database;
using Phase4.Backend.Http;
using Phase4.Domain.Conversations;
using Phase4.Domain.Quotas;
using Phase4.Domain.Tasks;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Chat;

/// <summary>
/// <c>POST /api/{user_id}/chat</c>, <c>GET /api/{user_id}/conversations</c> and
/// <c>GET /api/{user_id}/conversations/{id}/messages</c>: owner only, stateless (history comes from the database).
/// </summary>
public static class ChatEndpoints
{
    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        var ai = app.ServiceProvider.GetRequiredService<IOptions<AiOptions>>().Value;
        var user = app.MapGroup("/api/{user_id}")
            .RequireAuthorization()
            .AddEndpointFilter<OwnerOnlyFilter>()
            .AddEndpointFilter<RequireDatabaseSchema>()
            .WithTags("Chat")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        // A turn may wait on a real model: the default 10 s request limit would cut it off.
        user.MapPost("/chat", ChatAsync)
            .WithSummary("One chat turn with the assistant (429 past the chat quotas)")
            .Produces<ChatReply>().ProducesProblem(StatusCodes.Status404NotFound)
            .WithRequestTimeout(new RequestTimeoutPolicy
            {
                Timeout = ai.Timeout + TimeSpan.FromSeconds(30),
                TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            });
        user.MapGet("/conversations", ListConversationsAsync).WithSummary("The user's conversations, newest first")
            .Produces<List<ConversationResponse>>();
        user.MapGet("/conversations/{id}/messages", ListMessagesAsync).WithSummary("One conversation's messages, oldest first")
            .Produces<List<MessageResponse>>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ChatAsync(
        ChatRequest body, ClaimsPrincipal principal, ConversationStore conversations, ChatAgent agent, IOptions<AiOptions> ai,
        IOptions<QuotaOptions> quotas, HttpContext http, CancellationToken cancellationToken)
    {
        if (ConversationRules.ValidateMessage(body.Message) is { } messageError)
        {
            return ApiProblems.Invalid("message", messageError);
        }

        var userId = principal.GetUserId();
        if (await conversations.ChatTurnWaitAsync(userId, cancellationToken) is var wait && wait > TimeSpan.Zero)
        {
            return ApiProblems.QuotaExceeded(http, wait,
                $"You have sent {quotas.Value.ChatTurnsPerHour} chat messages in the last hour, the most one account may send; retry later.");
        }

        var message = body.Message!;
        ConversationView conversation;
        if (body.ConversationId is { } conversationId)
        {
            if (await conversations.GetAsync(userId, conversationId, cancellationToken) is not { } existing)
            {
                return ConversationNotFound;
            }

            conversation = existing;
        }
        else if (await conversations.CreateAsync(userId, message, cancellationToken) is { } created)
        {
            conversation = created;
        }
        else
        {
            return ApiProblems.QuotaExceeded(http, retryAfter: null,
                $"You have {quotas.Value.ConversationsPerUser} conversations, the most one account may keep.");
        }

        var history = await conversations.GetRecentAsync(userId, conversation.Id, ai.Value.MaxHistoryMessages, cancellationToken);
        await conversations.AppendAsync(userId, conversation.Id, MessageRoles.User, message, null, cancellationToken);

        AgentAnswer answer;
        try
        {
            answer = await agent.AnswerAsync(userId, principal.GetEmail(), history, message, cancellationToken);
        }
        catch (ChatDependencyUnavailableException e)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem(
                detail: e.Message,
                statusCode: StatusCodes.Status503ServiceUnavailable,
                extensions: new Dictionary<string, object?> { ["conversation_id"] = conversation.Id });
        }

        var toolCallsJson = answer.ToolCalls.Count == 0
            ? null
            : JsonSerializer.Serialize(answer.ToolCalls.ToList(), ChatJsonContext.Default.ListToolCallRecord);
        await conversations.AppendAsync(userId, conversation.Id, MessageRoles.Assistant, answer.Text, toolCallsJson, CancellationToken.None);
        return TypedResults.Ok(new ChatReply(conversation.Id, answer.Text, answer.ToolCalls));
    }

    private static async Task<IResult> ListConversationsAsync(
        string? limit, string? offset, ClaimsPrincipal principal, ConversationStore conversations, CancellationToken cancellationToken)
    {
        if (!PageQuery.TryRead(limit, offset, out var pageLimit, out var pageOffset, out var pageProblem))
        {
            return pageProblem;
        }

        var page = await conversations.ListAsync(principal.GetUserId(), pageLimit, pageOffset, cancellationToken);
        return TypedResults.Ok(page.Select(ConversationResponse.From).ToList());
    }

    private static async Task<IResult> ListMessagesAsync(
        int id, ClaimsPrincipal principal, ConversationStore conversations, CancellationToken cancellationToken)
    {
        var userId = principal.GetUserId();
        if (await conversations.GetAsync(userId, id, cancellationToken) is null)
        {
            return ConversationNotFound;
        }

        var messages = await conversations.GetMessagesAsync(userId, id, cancellationToken);
        return TypedResults.Ok(messages.Select(MessageResponse.From).ToList());
    }

    /// <summary>Another user's conversation is indistinguishable from a missing one.</summary>
    private static IResult ConversationNotFound =>
        ApiProblems.Status(StatusCodes.Status404NotFound, "Conversation not found.");
}
