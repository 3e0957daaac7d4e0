using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Phase4.Domain.Data;

/// <summary>
/// Hand-written statements EF Core cannot express (a locking CTE, an upsert with a condition), run on the context's
/// own pooled connection inside its execution strategy, so a dropped connection is retried like any EF Core query.
/// Parameters are positional (<c>$1</c>, <c>$2</c>, …) and typed by their CLR values.
/// </summary>
public static class RawStatements
{
    /// <summary>Runs <paramref name="sql"/> and reads its first row with <paramref name="read"/>; null when it returns none.</summary>
    public static Task<T?> ReadFirstRowAsync<T>(
        this TodoDbContext db, string sql, object?[] values, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : struct =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, sql, values, read),
            static (statement, cancellationToken) => RunAsync(statement.db, statement.sql, statement.values, statement.read, cancellationToken),
            cancellationToken);

    private static async Task<T?> RunAsync<T>(
        TodoDbContext db, string sql, object?[] values, Func<DbDataReader, T> read, CancellationToken cancellationToken)
        where T : struct
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
