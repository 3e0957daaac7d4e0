using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace Phase4.Domain.Data;

/// <summary>
/// Npgsql's retrying execution strategy (two quick retries of transient failures: a restarted server, a reset
/// connection), except after a time-out. A command, a connection attempt or a wait for a pooled connection that ran out
/// of time has already spent what the request had: on a black-holed network path or an exhausted pool another
/// attempt would only wait as long again (the time-outs stacked to 16 s where a request is allowed 10, in
/// bench/partitions.sh), and under overload it adds work exactly when there is too much.
/// </summary>
internal sealed class NoRetryAfterTimeout(ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
    protected override bool ShouldRetryOn(Exception? exception) => base.ShouldRetryOn(exception) && !IsTimeout(exception);

    internal static bool IsTimeout(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
