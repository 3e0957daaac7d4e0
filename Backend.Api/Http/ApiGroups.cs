using Phase4.Backend.Auth;
using Phase4.Backend.Database;

namespace Phase4.Backend.Http;

/// <summary>
/// The one setup of every REST endpoint group, so the groups cannot drift apart: each answers 503 until the migrator
/// has made the schema current, documents the 429 (rate limits, quotas) and 503 ProblemDetails every endpoint can
/// answer, and carries its OpenAPI tag.
/// </summary>
public static class ApiGroups
{
    /// <summary>A group open to anyone (sign-up, sign-in); its endpoints ask for authorization one by one.</summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string pattern, string tag) =>
        app.MapGroup(pattern).AddEndpointFilter<RequireDatabaseSchema>().WithTags(tag).ProducesCommonProblems();

    /// <summary>
    /// A group under <c>/api/{user_id}</c>: a signed-in caller, and only for their own <c>user_id</c> (403 otherwise,
    /// checked before the schema so a stranger learns nothing about the server's state).
    /// </summary>
    public static RouteGroupBuilder MapOwnerGroup(this IEndpointRouteBuilder app, string pattern, string tag) =>
        app.MapGroup("/api/{user_id}" + pattern)
            .RequireAuthorization()
            .AddEndpointFilter<OwnerOnlyFilter>()
            .AddEndpointFilter<RequireDatabaseSchema>()
            .WithTags(tag)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesCommonProblems();

    private static RouteGroupBuilder ProducesCommonProblems(this RouteGroupBuilder group) =>
        group.ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
