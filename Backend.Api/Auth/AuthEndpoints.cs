using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.JsonWebTokens;
using Phase4.Backend.Http;
using Phase4.Backend.RateLimiting;
using Phase4.Domain.Accounts;
using Phase4.ServiceDefaults.Security;

namespace Phase4.Backend.Auth;

public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", (TokenSigningKey key, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "public, max-age=300";
            return TypedResults.Ok(key.KeySet);
        }).WithTags("Accounts").WithSummary("The public key tokens are signed with (RFC 7517)");

        var auth = app.MapApiGroup("/api/auth", "Accounts");
        auth.MapPost("/register", RegisterAsync).WithMetadata(CredentialsEndpoint.SignUp)
            .WithSummary("Create an account")
            .Produces<RegisteredAccount>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status408RequestTimeout).ProducesProblem(StatusCodes.Status409Conflict);
        auth.MapPost("/login", LoginAsync).WithMetadata(CredentialsEndpoint.SignIn)
            .WithSummary("Sign in: a bearer token for the REST API")
            .Produces<LoginResponse>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status408RequestTimeout);
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization()
            .WithSummary("Sign out the token this request carries")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapPost("/mcp-token", IssueMcpTokenAsync).RequireAuthorization().RequireRateLimiting(RateLimitSetup.McpTokenPolicy)
            .WithSummary("A token for the MCP server, for external MCP clients")
            .Produces<McpTokenResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        auth.MapDelete("/mcp-tokens", RevokeMcpTokensAsync).RequireAuthorization()
            .WithSummary("Revoke every MCP token of the caller")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status401Unauthorized);
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
        CredentialsRequest body, AccountService accounts, TokenIssuer issuer, HttpContext http,
        [FromHeader(Name = DeviceTokens.HeaderName)] string? deviceToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Email))
        {
            return ApiProblems.Invalid("email", "The email is required.");
        }

        if (string.IsNullOrEmpty(body.Password) || body.Password.Length > AccountRules.PasswordMaxLength)
        {
            return ApiProblems.Invalid("password", $"The password is required and at most {AccountRules.PasswordMaxLength} characters.");
        }

        var result = await accounts.SignInAsync(body.Email, body.Password, deviceToken, cancellationToken);
        switch (result.Status)
        {
            case SignInStatus.Succeeded:
                var token = issuer.IssueApiToken(result.UserId, result.Email!);
                var device = result.DeviceToken!;
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(new LoginResponse(
                    token.AccessToken, "Bearer", token.ExpiresInSeconds, result.UserId.ToString("D"), device.AccessToken, device.ExpiresInSeconds));
            case SignInStatus.Throttled:
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return ApiProblems.Status(StatusCodes.Status429TooManyRequests,
                    "Too many failed sign-ins for this account; retry after the Retry-After delay. " +
                    "A device you signed in from before (its X-Device-Token) has its own budget.");
            default:
                return ApiProblems.Status(StatusCodes.Status401Unauthorized, "The email or password is incorrect.");
        }
    }

    private static async Task<IResult> IssueMcpTokenAsync(
        ClaimsPrincipal user, TokenIssuer issuer, AccountTokens accountTokens, HttpContext http, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        if (userId == Guid.Empty || await accountTokens.GetMcpTokenVersionAsync(userId, cancellationToken) is not { } version)
        {
            return NoAccount;
        }

        var token = issuer.IssueMcpToken(userId, user.GetEmail(), version);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new McpTokenResponse(token.AccessToken, "Bearer", token.ExpiresInSeconds));
    }

    /// <summary>Revokes every MCP token of the caller (the MCP server refuses them within <c>Jwt:RevocationCheckInterval</c>).</summary>
    private static async Task<IResult> RevokeMcpTokensAsync(ClaimsPrincipal user, AccountTokens accountTokens, CancellationToken cancellationToken) =>
        user.GetUserId() is var userId && userId != Guid.Empty && await accountTokens.RevokeMcpTokensAsync(userId, cancellationToken)
            ? TypedResults.NoContent()
            : NoAccount;

    /// <summary>
    /// Signs out the API token the request carries: its <c>jti</c> is refused until the token expires, clock skew included (at once on this
    /// replica, within <c>Jwt:RevocationCheckInterval</c> on others). The caller's other sessions and MCP tokens stay.
    /// </summary>
    private static async Task<IResult> LogoutAsync(
        ClaimsPrincipal user, AccountTokens accountTokens, RevocationCache revocations, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var jti = user.FindFirstValue(JwtRegisteredClaimNames.Jti);
        if (userId == Guid.Empty || string.IsNullOrEmpty(jti)
            || !long.TryParse(user.FindFirstValue(JwtRegisteredClaimNames.Exp), NumberStyles.Integer, CultureInfo.InvariantCulture, out var exp))
        {
            return NoAccount;
        }

        // Validation accepts the token until exp plus the clock skew: it must stay refused that long.
        await accountTokens.RevokeTokenAsync(jti, userId, DateTimeOffset.FromUnixTimeSeconds(exp) + JwtOptions.ClockSkew, cancellationToken);
        revocations.Set(SignedOutTokenCheck.CacheKey(jti), true);
        return TypedResults.NoContent();
    }

    private static IResult NoAccount => ApiProblems.Status(StatusCodes.Status401Unauthorized, "The token has no valid subject.");
}
