using Microsoft.EntityFrameworkCore;
using Phase4.Domain.Data;

namespace Phase4.Backend.Auth;

/// <summary>
/// Reserves a sign-in attempt on an account for a client key (the untrusted clients' shared budget, or one device's)
/// before its password is checked, in one statement (table <c>sign_in_throttles</c>): the row's lock orders concurrent
/// attempts, each reservation counts, and the one that reaches <see cref="SignInThrottleOptions.FreeFailures"/> blocks
/// the rest of the backoff window. So however many wrong guesses arrive at once, from however many addresses, at most
/// that many passwords are checked before the block; a success clears the row, and a row whose last attempt is older
/// than <see cref="SignInThrottleOptions.ForgetAfter"/> starts afresh and is swept.
/// </summary>
internal static class SignInAttempts
{
    private static readonly string Reserve =
        "INSERT INTO sign_in_throttles AS t (user_id, client_key, attempts, blocked_until, last_attempt_at) " +
        $"VALUES ($1, $2, 1, {BlockedUntilAfter("1")}, $4) " +
        "ON CONFLICT (user_id, client_key) DO UPDATE " +
        $"SET attempts = CASE WHEN t.last_attempt_at < $7 THEN 1 ELSE t.attempts + 1 END, " +
        $"blocked_until = CASE WHEN t.last_attempt_at < $7 THEN {BlockedUntilAfter("1")} ELSE {BlockedUntilAfter("t.attempts + 1")} END, " +
        "last_attempt_at = $4 " +
        "WHERE t.blocked_until IS NULL OR t.blocked_until <= $4 " +
        "RETURNING attempts";

    /// <summary>
    /// The block that follows the <paramref name="attempts"/>-th reserved attempt: none below FreeFailures ($3), else
    /// BaseLockout ($5) doubled per attempt past it (at most 2^20 times), capped at MaxLockout ($6), from now ($4).
    /// </summary>
    private static string BlockedUntilAfter(string attempts) =>
        $"CASE WHEN {attempts} < $3 THEN NULL ELSE $4 + least($5 * power(2, least({attempts} - $3, 20)), $6) END";

    /// <summary>Null when the attempt may go ahead, else when the block on this account and client key ends.</summary>
    public static async Task<DateTimeOffset?> ReserveAsync(
        TodoDbContext db, Guid userId, string clientKey, DateTimeOffset now, SignInThrottleOptions options, CancellationToken cancellationToken)
    {
        var reserved = await db.ReadFirstRowAsync(Reserve,
            [userId, clientKey, options.FreeFailures, now, options.BaseLockout, options.MaxLockout, now - options.ForgetAfter],
            static row => row.GetInt32(0), cancellationToken);
        if (reserved is not null)
        {
            return null;
        }

        var blockedUntil = await db.SignInThrottles.AsNoTracking()
            .Where(t => t.UserId == userId && t.ClientKey == clientKey)
            .Select(t => t.BlockedUntil)
            .FirstOrDefaultAsync(cancellationToken);
        return blockedUntil ?? now;
    }

    /// <summary>After a success: this budget of the account starts afresh (the others keep their counts).</summary>
    public static Task ClearAsync(TodoDbContext db, Guid userId, string clientKey, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.UserId == userId && t.ClientKey == clientKey).ExecuteDeleteAsync(cancellationToken);

    /// <summary>Deletes every budget, of any account, left alone since <paramref name="before"/>.</summary>
    public static Task SweepAsync(TodoDbContext db, DateTimeOffset before, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.LastAttemptAt < before).ExecuteDeleteAsync(cancellationToken);
}
