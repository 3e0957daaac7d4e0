using Npgsql;

namespace Phase4.Tests.Overload;

/// <summary>
/// A transaction the test opens beside the backend that takes row or table locks, so the backend's requests that need
/// those rows wait inside PostgreSQL: they are provably in progress (they hold their limiter permit) until the test
/// calls <see cref="ReleaseAsync"/>. <see cref="WaitForWaitersAsync"/> counts them in <c>pg_stat_activity</c>.
/// </summary>
public sealed class DatabaseHold : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private NpgsqlTransaction? _transaction;

    private DatabaseHold(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Opens a transaction and runs <paramref name="lockSql"/> in it (e.g. <c>SELECT … FOR UPDATE</c>).</summary>
    public static async Task<DatabaseHold> TakeAsync(string connectionString, string lockSql, params (string Name, object Value)[] parameters)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand(lockSql, connection, transaction))
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync();
        }

        return new DatabaseHold(connection, transaction);
    }

    /// <summary>
    /// Sessions of this database other than ours that are waiting for a lock right now. The statistics snapshot is
    /// cleared first: within a transaction PostgreSQL keeps the sessions it listed at the first look, so sessions that
    /// connected since (a request's new pooled connection) would never be seen.
    /// </summary>
    public async Task<int> WaitersAsync()
    {
        await ClearStatisticsSnapshotAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()",
            _connection, _transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="count"/> backend queries are blocked on our locks.</summary>
    public async Task WaitForWaitersAsync(int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        int waiting;
        while ((waiting = await WaitersAsync()) < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {waiting} of {count} requests reached the database lock within {patience}. Sessions:\n{await SessionsAsync()}");
            }

            await Task.Delay(50);
        }
    }

    private async Task ClearStatisticsSnapshotAsync()
    {
        await using var clear = new NpgsqlCommand("SELECT pg_stat_clear_snapshot()", _connection, _transaction);
        await clear.ExecuteNonQueryAsync();
    }

    private async Task<string> SessionsAsync()
    {
        await ClearStatisticsSnapshotAsync();
        await using var command = new NpgsqlCommand(
            "SELECT string_agg(coalesce(usename, '') || ' ' || coalesce(datname, '') || ' ' || coalesce(state, '') || ' ' || " +
            "coalesce(wait_event_type, '') || ' ' || left(coalesce(query, ''), 120), E'\\n') FROM pg_stat_activity WHERE backend_type = 'client backend'",
            _connection, _transaction);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Rolls back: the waiting requests go on.</summary>
    public async Task ReleaseAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.RollbackAsync();
            await _transaction.DisposeAsync();
            _transaction = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await _connection.DisposeAsync();
    }
}
