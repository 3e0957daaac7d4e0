using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>Answers 503 while the schema is still being migrated, instead of letting queries fail on missing tables.</summary>
internal sealed class RequireDatabaseSchema(DatabaseReadiness readiness) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (readiness.SchemaApplied)
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.RetryAfter = "2";
        return TypedResults.Problem(detail: "The database is being prepared; retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
