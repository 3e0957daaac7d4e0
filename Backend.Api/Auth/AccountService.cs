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

public sealed record SignInResult(
    SignInStatus Status, Guid UserId = default, string? Email = null, TimeSpan RetryAfter = default, IssuedToken? DeviceToken = null);

/// <summary>Registration and sign-in. Passwords are hashed with ASP.NET Core Identity's hasher and never logged.</summary>
public sealed partial class AccountService(
    TodoDbContext db, PasswordHashing hashing, DeviceTokens devices, IOptions<SignInThrottleOptions> throttle, TimeProvider time,
    ILogger<AccountService> logger)
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
    /// Checks the credentials of a sign-in that presents <paramref name="deviceToken"/> (or none). An unknown email costs
    /// the same hashing time as a wrong password and gets the same answer. On a known account the attempt is reserved
    /// in its budget before the password is hashed (<see cref="SignInAttempts"/>): the device's own when the token is a
    /// valid device token of this account, else the one all other clients share; while that budget is blocked the
    /// password is not checked at all. A success resets that budget and comes with a new device token.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string email, string password, string? deviceToken, CancellationToken cancellationToken)
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

        var clientKey = await devices.NonceForAsync(deviceToken, account.Id) is { } nonce
            ? SignInThrottle.DeviceKey(nonce)
            : SignInThrottle.UntrustedClients;
        var now = time.GetDatabaseNow();
        var options = throttle.Value;
        if (await SignInAttempts.ReserveAsync(db, account.Id, clientKey, now, options, cancellationToken) is { } blockedUntil)
        {
            LogThrottled(logger, account.Id);
            return new SignInResult(SignInStatus.Throttled, RetryAfter: blockedUntil - now);
        }

        var verdict = hashing.Hasher.VerifyHashedPassword(null!, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            LogWrongPassword(logger, account.Id);
            await SignInAttempts.SweepAsync(db, now - options.ForgetAfter, cancellationToken);
            return new SignInResult(SignInStatus.WrongCredentials);
        }

        await SignInAttempts.ClearAsync(db, account.Id, clientKey, cancellationToken);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = hashing.Hasher.HashPassword(null!, password);
            await db.Users.Where(u => u.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), cancellationToken);
        }

        return new SignInResult(SignInStatus.Succeeded, account.Id, account.Email, DeviceToken: devices.Issue(account.Id));
    }

    // OWASP's logging guidance: authentication failures are security events. One line per password checked, so the
    // throttle bounds how many an attack can write. Never the password, the email or the client address.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in refused: wrong password for account {UserId}")]
    private static partial void LogWrongPassword(ILogger logger, Guid userId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sign-in throttled for account {UserId}")]
    private static partial void LogThrottled(ILogger logger, Guid userId);
}
