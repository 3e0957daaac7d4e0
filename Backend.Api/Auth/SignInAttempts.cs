using Microsoft.EntityFrameworkCore;
using Phase4.Domain.Data;

namespace Phase4.Backend.Auth;

/// <summary>
/// Reserves a sign-in attempt on an account from a client address before its password is checked, in one statement
/// (table <c>sign_in_throttles</c>): the row's lock orders concurrent attempts, each reservation counts, and the one
/// that reaches <see cref="SignInThrottleOptions.FreeFailures"/> blocks the rest of the backoff window. So however many
/// wrong guesses arrive at once, at most that many passwords are checked before the block; a success clears the row.
/// </summary>
internal static class SignInAttempts
{
    private static readonly string Reserve =
        "INSERT INTO sign_in_throttles AS t (user_id, client_key, attempts, blocked_until) " +
        $"VALUES ($1, $2, 1, {BlockedUntilAfter("1")}) " +
        "ON CONFLICT (user_id, client_key) DO UPDATE " +
        $"SET attempts = t.attempts + 1, blocked_until = {BlockedUntilAfter("t.attempts + 1")} " +
        "WHERE t.blocked_until IS NULL OR t.blocked_until <= $4 " +
        "RETURNING attempts";

    /// <summary>
    /// The block that follows the <paramref name="attempts"/>-th reserved attempt: none below FreeFailures ($3), else
    /// BaseLockout ($5) doubled per attempt past it (at most 2^20 times), capped at MaxLockout ($6), from now ($4).
    /// </summary>
    private static string BlockedUntilAfter(string attempts) =>
        $"CASE WHEN {attempts} < $3 THEN NULL ELSE $4 + least($5 * power(2, least({attempts} - $3, 20)), $6) END";

    /// <summary>Null when the attempt may go ahead, else when the block on this account and address ends.</summary>
    public static async Task<DateTimeOffset?> ReserveAsync(
        TodoDbContext db, Guid userId, string clientKey, DateTimeOffset now, SignInThrottleOptions options, CancellationToken cancellationToken)
    {
        var reserved = await db.ReadFirstRowAsync(Reserve,
            [userId, clientKey, options.FreeFailures, now, options.BaseLockout, options.MaxLockout],
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

    /// <summary>After a success: this address starts afresh on this account (other addresses keep their counts).</summary>
    public static Task ClearAsync(TodoDbContext db, Guid userId, string clientKey, CancellationToken cancellationToken) =>
        db.SignInThrottles.Where(t => t.UserId == userId && t.ClientKey == clientKey).ExecuteDeleteAsync(cancellationToken);
}
