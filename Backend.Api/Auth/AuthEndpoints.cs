using System.Globalization;
using System.Security.Claims;
using Phase4.Backend.Database;
using Phase4.Backend.Http;
using Phase4.Domain.Accounts;

namespace Phase4.Backend.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", (TokenSigningKey key, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Ok(key.KeySet);
        });

        var auth = app.MapGroup("/api/auth").AddEndpointFilter<RequireDatabaseSchema>();
        auth.MapPost("/register", RegisterAsync);
        auth.MapPost("/login", LoginAsync);
        auth.MapPost("/mcp-token", IssueMcpToken).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> RegisterAsync(CredentialsRequest body, AccountService accounts, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (AccountRules.ValidateEmail(body.Email, out var email) is { } emailError)
        {
            errors["email"] = [emailError];
        }

        if (AccountRules.ValidatePassword(body.Password) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Invalid(errors);
        }

        var account = await accounts.RegisterAsync(email, body.Password!, cancellationToken);
        return account is null
            ? ApiProblems.Status(StatusCodes.Status409Conflict, "This email is already registered.")
            : TypedResults.Created((string?)null, account);
    }

    private static async Task<IResult> LoginAsync(
        CredentialsRequest body, AccountService accounts, TokenIssuer issuer, HttpContext http, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Email))
        {
            return ApiProblems.Invalid("email", "The email is required.");
        }

        if (string.IsNullOrEmpty(body.Password) || body.Password.Length > AccountRules.PasswordMaxLength)
        {
            return ApiProblems.Invalid("password", $"The password is required and at most {AccountRules.PasswordMaxLength} characters.");
        }

        var result = await accounts.SignInAsync(body.Email, body.Password, cancellationToken);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                var token = issuer.IssueApiToken(result.UserId, result.Email!);
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new LoginResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds, result.UserId.ToString("D")));
            case SignInStatus.Throttled:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Status(StatusCodes.Status429TooManyRequests, "Too many failed sign-ins for this account; retry later.");
            default:
                return ApiProblems.Status(StatusCodes.Status401Unauthorized, "The email or password is incorrect.");
        }
    }

    private static IResult IssueMcpToken(ClaimsPrincipal user, TokenIssuer issuer, HttpContext http)
    {
        var userId = user.GetUserId();
        if (userId == Guid.Empty)
        {
            return ApiProblems.Status(StatusCodes.Status401Unauthorized, "The token has no valid subject.");
        }

        var token = issuer.IssueMcpToken(userId, user.GetEmail());
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new McpTokenResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds));
    }
}
