using Npgsql;

namespace Phase4.Tests.Infrastructure;

public sealed class PostgresServerTests : IClassFixture<PostgresServer>
{
    private readonly PostgresServer _postgres;

    public PostgresServerTests(PostgresServer postgres) => _postgres = postgres;

    [Fact]
    public async Task A_created_database_accepts_queries()
    {
        await using var connection = new NpgsqlConnection(await _postgres.CreateDatabaseAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting('server_version_num')::int", connection);
        Assert.True((int)(await command.ExecuteScalarAsync())! >= 150000);
    }
}
