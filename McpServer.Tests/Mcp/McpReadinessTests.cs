using System.Net;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Mcp;

/// <summary>
/// The MCP server never migrates: it is alive but not ready until the migrator has migrated the database (and created
/// its role), and it is not ready while the database is unreachable. Its start-up (<c>/started</c>, the startup
/// probe) is over as soon as it finds it must wait for the migrator: a pod waiting for its schema is not restarted.
/// Has its own PostgreSQL because it stops it.
/// </summary>
public sealed class McpReadinessTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task The_server_is_unready_until_the_schema_is_migrated_and_while_the_database_is_down()
    {
        var connectionString = await postgres.CreateDatabaseAsync("mcpready");
        await using var server = McpServerFixture.StartServer(MigratedDatabase.For(connectionString).McpServer, new McpTestTokens().PublicKeyPem);
        await server.WaitUntilHealthyAsync("/started", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        await AssertUnreadyAsync(http);
        Assert.Equal(0, await CountTablesAsync(connectionString));

        await Migrator.MigrateAsync(connectionString);

        await server.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(60));

        await postgres.StopAsync();
        try
        {
            await AssertUnreadyAsync(http);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/alive")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/started")).StatusCode);
        }
        finally
        {
            await postgres.StartAsync();
        }

        await server.WaitUntilHealthyAsync(timeout: TimeSpan.FromSeconds(60));
    }

    private static async Task AssertUnreadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    private static async Task<long> CountTablesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
