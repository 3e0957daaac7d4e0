using System.Net.Sockets;
using Npgsql;

namespace Phase4.Backend.Database;

/// <summary>Classifies database exceptions, looking through EF Core's wrappers (retry limit, update exceptions).</summary>
public static class DatabaseFailures
{
    /// <summary>The server cannot be reached or cannot serve us right now: the request may succeed later (503).</summary>
    public static bool IsUnavailable(Exception exception) => Chain(exception).Any(e => e switch
    {
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState is PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.UndefinedTable
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException => true,
        TimeoutException or SocketException => true,
        _ => false,
    });

    /// <summary>A write referenced an account that no longer exists.</summary>
    public static bool IsMissingAccount(Exception exception) =>
        Chain(exception).OfType<PostgresException>().Any(e => e.SqlState == PostgresErrorCodes.ForeignKeyViolation);

    public static bool IsUniqueViolation(Exception exception) =>
        Chain(exception).OfType<PostgresException>().Any(e => e.SqlState == PostgresErrorCodes.UniqueViolation);

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }
}
