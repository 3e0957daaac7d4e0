using System.Globalization;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Auth;

/// <summary>
/// Routes under <c>/api/{user_id}/...</c> belong to that user only: the route value must be exactly the token's
/// <c>sub</c> (a lowercase GUID), else 403, including for values that are not GUIDs at all.
/// </summary>
internal sealed class OwnerOnlyFilter : IEndpointFilter
{
    public const string RouteKey = "user_id";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var userId = http.User.GetUserId();
        var routeValue = http.Request.RouteValues[RouteKey] as string;
        if (userId == Guid.Empty || routeValue != userId.ToString("D", CultureInfo.InvariantCulture))
        {
            return TypedResults.Problem(detail: "You can only access your own data.", statusCode: StatusCodes.Status403Forbidden);
        }

        return await next(context);
    }
}
