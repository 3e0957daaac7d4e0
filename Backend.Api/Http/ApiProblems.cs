using Microsoft.AspNetCore.Http.HttpResults;

namespace Phase4.Backend.Http;

/// <summary>The ProblemDetails answers the API gives; validation errors are keyed by the snake_case field name.</summary>
public static class ApiProblems
{
    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    public static ProblemHttpResult Status(int statusCode, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: statusCode);
}
