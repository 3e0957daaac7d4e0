using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Phase4.Backend.Database;
using Phase4.Domain.Accounts;
using Phase4.Domain.Data;

namespace Phase4.Backend.Auth;

public enum SignInStatus
{
    Succeeded,
    WrongCredentials,
    Throttled,
}

public sealed record SignInResult(SignInStatus Status, Guid UserId = default, string? Email = null, TimeSpan RetryAfter = default);

/// <summary>Registration and sign-in. Passwords are hashed with ASP.NET Core Identity's hasher and never logged.</summary>
public sealed partial class AccountService(
    TodoDbContext db, PasswordHashing hashing, IOptions<SignInThrottleOptions> throttle, TimeProvider time, ILogger<AccountService> logger)
{
    /// <summary>Creates the account; null when the email is already registered. Inputs must be validated first.</summary>
    public async Task<RegisteredAccount?> RegisterAsync(string email, string password, CancellationToken cancellationToken)
    {
        var account = new UserAccount
        {
            Id = Guid.CreateVersion7(time.GetDatabaseNow()),
            Email = email,
            NormalizedEmail = AccountRules.NormalizeEmail(email),
            PasswordHash = string.Empty,
            CreatedAt = time.GetDatabaseNow(),
        };
        account.PasswordHash = hashing.Hasher.HashPassword(account, password);
        db.Users.Add(account);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new RegisteredAccount(account.Id.ToString("D"), account.Email);
        }
        catch (DbUpdateException e) when (DatabaseFailures.IsUniqueViolation(e))
        {
            return null;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Checks the credentials of a sign-in from <paramref name="clientKey"/> (see <c>ClientAddress</c>). An unknown email
    /// costs the same hashing time as a wrong password and gets the same answer. On a known account the attempt is
    /// reserved before the password is hashed (<see cref="SignInAttempts"/>); while this account and address are
    /// blocked the password is not checked at all.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string email, string password, string clientKey, CancellationToken cancellationToken)
    {
        var normalized = AccountRules.NormalizeEmail(email);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail == normalized)
            .Select(u => new { u.Id, u.Email, u.PasswordHash })
            .FirstOrDefaultAsync(cancellationToken);
        if (account is null)
        {
            hashing.VerifyAgainstDummy(password);
            return new SignInResult(SignInStatus.WrongCredentials);
        }

        var now = time.GetDatabaseNow();
        if (await SignInAttempts.ReserveAsync(db, account.Id, clientKey, now, throttle.Value, cancellationToken) is { } blockedUntil)
        {
            LogThrottled(logger, account.Id);
            return new SignInResult(SignInStatus.Throttled, RetryAfter: blockedUntil - now);
        }

        var verdict = hashing.Hasher.VerifyHashedPassword(null!, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            LogWrongPassword(logger, account.Id);
            return new SignInResult(SignInStatus.WrongCredentials);
        }

        await SignInAttempts.ClearAsync(db, account.Id, clientKey, cancellationToken);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = hashing.Hasher.HashPassword(null!, password);
            await db.Users.Where(u => u.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), cancellationToken);
        }

        return new SignInResult(SignInStatus.Succeeded, account.Id, account.Email);
    }

    // OWASP's logging guidance: authentication failures are security events. One line per password checked, so the
    // throttle bounds how many an attack can write. Never the password, the email or the client address.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: wrong password for account {UserId}")]
    private static partial void LogWrongPassword(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sign-in throttled for account {UserId}")]
    private static partial void LogThrottled(ILogger logger, Guid userId);
}
