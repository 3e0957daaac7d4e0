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
public sealed class AccountService(
    TodoDbContext db, PasswordHashing hashing, IOptions<SignInThrottleOptions> throttle, TimeProvider time)
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
    /// Checks the credentials. An unknown email costs the same hashing time as a wrong password and gets the same
    /// answer; a locked account is refused without checking the password.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalized = AccountRules.NormalizeEmail(email);
        var account = await db.Users.AsNoTracking()
            .Where(u => u.NormalizedEmail == normalized)
            .Select(u => new { u.Id, u.Email, u.PasswordHash, u.FailedSignInCount, u.SignInBlockedUntil })
            .FirstOrDefaultAsync(cancellationToken);
        var now = time.GetDatabaseNow();
        if (account is null)
        {
            hashing.VerifyAgainstDummy(password);
            return new SignInResult(SignInStatus.WrongCredentials);
        }

        if (account.SignInBlockedUntil > now)
        {
            return new SignInResult(SignInStatus.Throttled, RetryAfter: account.SignInBlockedUntil.Value - now);
        }

        var verdict = hashing.Hasher.VerifyHashedPassword(null!, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await RecordFailureAsync(account.Id, now, cancellationToken);
            return new SignInResult(SignInStatus.WrongCredentials);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded || account.FailedSignInCount > 0)
        {
            var rehashed = verdict == PasswordVerificationResult.SuccessRehashNeeded
                ? hashing.Hasher.HashPassword(null!, password)
                : account.PasswordHash;
            await db.Users.Where(u => u.Id == account.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.PasswordHash, rehashed)
                .SetProperty(u => u.FailedSignInCount, 0)
                .SetProperty(u => u.SignInBlockedUntil, (DateTimeOffset?)null), cancellationToken);
        }

        return new SignInResult(SignInStatus.Succeeded, account.Id, account.Email);
    }

    private async Task RecordFailureAsync(Guid accountId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Atomic increment: concurrent guesses all count.
        await db.Users.Where(u => u.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var failures = await db.Users.AsNoTracking().Where(u => u.Id == accountId)
            .Select(u => u.FailedSignInCount).FirstAsync(cancellationToken);
        if (throttle.Value.LockoutAfter(failures) is { } lockout)
        {
            await db.Users.Where(u => u.Id == accountId)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.SignInBlockedUntil, now + lockout), cancellationToken);
        }
    }
}
