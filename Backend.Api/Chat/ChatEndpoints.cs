using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Options;
using Phase4.Backend.Http;
using Phase4.Backend.RateLimiting;
using Phase4.Domain.Conversations;
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
        var user = app.MapOwnerGroup("", "Chat");

        // A turn may wait on a real model: the default 10 s request limit would cut it off.
        user.MapPost("/chat", ChatAsync)
            .WithSummary("One chat turn with the assistant (429 past the chat quotas)")
            .Produces<ChatReply>().ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(RateLimitSetup.ChatPolicy)
            // It waits on the model holding no connection: the per-account chat limit bounds it, not the server's.
            .WithMetadata(new NoAdmissionLimitAttribute())
            .WithRequestTimeout(HttpSetup.TimeoutPolicy(ai.Timeout + TimeSpan.FromSeconds(30)));
        user.MapGet("/conversations", ListConversationsAsync).WithSummary("The user's conversations, newest first")
            .Produces<List<ConversationResponse>>();
        user.MapGet("/conversations/{id}/messages", ListMessagesAsync).WithSummary("One conversation's messages, oldest first")
            .Produces<List<MessageResponse>>().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ChatAsync(
        ChatRequest body, ClaimsPrincipal principal, ChatTurnService turns, HttpContext http, CancellationToken cancellationToken) =>
        await turns.TakeAsync(principal.GetUserId(), principal.GetEmail(), body, cancellationToken) switch
        {
            ChatTurnOutcome.Answered answered => TypedResults.Ok(answered.Reply),
            ChatTurnOutcome.InvalidMessage invalid => ApiProblems.Invalid("message", invalid.Error),
            ChatTurnOutcome.QuotaExceeded quota => ApiProblems.QuotaExceeded(http, quota.RetryAfter, quota.Detail),
            ChatTurnOutcome.ConversationNotFound => ConversationNotFound,
            ChatTurnOutcome.DependencyUnavailable unavailable => DependencyUnavailable(http, unavailable),
            var other => throw new UnreachableException($"Unknown chat turn outcome {other.GetType().Name}."),
        };

    /// <summary>503 with the conversation's id, so the client can retry the turn in the conversation that kept it.</summary>
    private static ProblemHttpResult DependencyUnavailable(HttpContext http, ChatTurnOutcome.DependencyUnavailable unavailable)
    {
        http.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(
            detail: unavailable.Detail,
            statusCode: StatusCodes.Status503ServiceUnavailable,
            extensions: new Dictionary<string, object?> { ["conversation_id"] = unavailable.ConversationId });
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
