using Microsoft.EntityFrameworkCore;
using Npgsql;
using Phase4.Domain.Data;
using Phase4.Tests.Api.Support;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Api;

/// <summary>
/// Least privilege on a real PostgreSQL that checks passwords (SCRAM over TCP): the migrator creates the backend's and
/// the MCP server's roles; neither is a superuser, owns anything or may run DDL; the MCP server's cannot read an account
/// (email, password hash) or a conversation. Every other test runs the services as these roles, end to end.
/// </summary>
public sealed class DatabaseRolesTests(DatabaseRolesTests.MigratedServer server) : IClassFixture<DatabaseRolesTests.MigratedServer>
{
    private MigratedDatabase Database => server.Database;

    /// <summary>One password-checking server and one migrated database for the class.</summary>
    public sealed class MigratedServer : IAsyncLifetime
    {
        private readonly PostgresServer _postgres = PostgresServer.RequiringPasswords();

        public MigratedDatabase Database { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            Database = await _postgres.CreateMigratedDatabaseAsync("roles");
        }

        public Task DisposeAsync() => _postgres.DisposeAsync();
    }

    [Fact]
    public async Task The_runtime_roles_log_in_with_their_passwords_only()
    {
        foreach (var connectionString in new[] { Database.Backend, Database.McpServer })
        {
            Assert.Equal(1, await ScalarAsync<int>(connectionString, "SELECT 1"));
            var wrong = new NpgsqlConnectionStringBuilder(connectionString) { Password = "not-the-password" }.ConnectionString;
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(wrong, "SELECT 1"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, refused.SqlState);
        }
    }

    [Fact]
    public async Task Neither_runtime_role_is_a_superuser_may_create_roles_or_databases_or_owns_anything()
    {
        foreach (var role in new[] { Migrator.BackendRole, Migrator.McpRole })
        {
            Assert.False(await ScalarAsync<bool>(Database.Owner, $"SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = '{role}'"));
            Assert.Equal(0L, await ScalarAsync<long>(Database.Owner,
                $"SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = '{role}'"));
        }
    }

    [Theory]
    [InlineData("CREATE TABLE intruder (id int)")]
    [InlineData("DROP TABLE tasks")]
    [InlineData("ALTER TABLE tasks ADD COLUMN intruder int")]
    [InlineData("TRUNCATE tasks")]
    [InlineData("CREATE INDEX intruder ON tasks (title)")]
    [InlineData("DROP TRIGGER tasks_count_per_user ON tasks")]
    public async Task Neither_runtime_role_can_run_DDL(string statement)
    {
        foreach (var connectionString in new[] { Database.Backend, Database.McpServer })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connectionString, statement));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }
    }

    [Theory]
    [InlineData("SELECT * FROM users")]
    [InlineData("SELECT email FROM users")]
    [InlineData("SELECT password_hash FROM users")]
    [InlineData("UPDATE users SET email = 'taken@example.com'")]
    [InlineData("SELECT * FROM conversations")]
    [InlineData("SELECT * FROM messages")]
    [InlineData("SELECT * FROM revoked_tokens")]
    [InlineData("SELECT * FROM sign_in_throttles")]
    public async Task The_MCP_servers_role_cannot_read_accounts_or_conversations(string statement)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(Database.McpServer, statement));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task The_MCP_servers_role_does_what_the_task_tools_need_and_no_more()
    {
        var userId = Guid.NewGuid();
        await ExecuteAsync(Database.Owner,
            $"INSERT INTO users (id, email, normalized_email, password_hash, created_at, mcp_token_version, task_count, failed_sign_in_count) VALUES ('{userId}', 'mcp@example.com', 'MCP@EXAMPLE.COM', 'x', now(), 0, 0, 0)");

        // The task quota's insert (reads the count's shards, the trigger counts on its session's shard), then list,
        // update and delete.
        var id = await ScalarAsync<int>(Database.McpServer,
            $"INSERT INTO tasks (user_id, title, completed, created_at, updated_at) SELECT '{userId}', 'by the MCP role', false, now(), now() " +
            $"WHERE (SELECT coalesce(sum(tasks), 0) FROM task_counts WHERE user_id = '{userId}') < 10 RETURNING id");
        Assert.Equal(1, await ScalarAsync<long>(Database.McpServer, $"SELECT sum(tasks) FROM task_counts WHERE user_id = '{userId}'"));
        Assert.Equal(0, await ScalarAsync<int>(Database.McpServer, $"SELECT mcp_token_version FROM users WHERE id = '{userId}'"));
        await ExecuteAsync(Database.McpServer, $"UPDATE tasks SET completed = true WHERE id = {id}");
        await ExecuteAsync(Database.McpServer, $"DELETE FROM tasks WHERE id = {id}");
        Assert.Equal(0, await ScalarAsync<long>(Database.Owner, $"SELECT sum(tasks) FROM task_counts WHERE user_id = '{userId}'"));
    }

    /// <summary>
    /// The task count's shards (Domain/Tasks/TaskCountShard.cs), kept by the trigger as the service's role: inserts and
    /// deletes from several sessions sum to the tasks there are, and an account deleted with its tasks (the cascade
    /// runs the trigger after the account is gone) leaves no count behind.
    /// </summary>
    [Fact]
    public async Task The_task_count_shards_sum_to_the_tasks_from_any_session_and_go_with_their_account()
    {
        var userId = Guid.NewGuid();
        await ExecuteAsync(Database.Owner,
            $"INSERT INTO users (id, email, normalized_email, password_hash, created_at, mcp_token_version, task_count, failed_sign_in_count) VALUES ('{userId}', 'count@example.com', 'COUNT@EXAMPLE.COM', 'x', now(), 0, 0, 0)");
        // Unpooled: each statement on its own session, so on whichever shard its process id picks.
        for (var n = 0; n < 6; n++)
        {
            await ExecuteAsync(n % 2 == 0 ? Database.Backend : Database.McpServer,
                $"INSERT INTO tasks (user_id, title, completed, created_at, updated_at) VALUES ('{userId}', 'task {n}', false, now(), now())");
        }

        await ExecuteAsync(Database.McpServer, $"DELETE FROM tasks WHERE id = (SELECT min(id) FROM tasks WHERE user_id = '{userId}')");
        Assert.Equal(5, await ScalarAsync<long>(Database.Owner, $"SELECT sum(tasks) FROM task_counts WHERE user_id = '{userId}'"));

        await ExecuteAsync(Database.Backend, $"DELETE FROM users WHERE id = '{userId}'");
        Assert.Equal(0, await ScalarAsync<long>(Database.Owner, $"SELECT count(*) FROM task_counts WHERE user_id = '{userId}'"));
    }

    [Fact]
    public async Task The_backends_role_may_read_and_write_every_table_of_the_model()
    {
        await using var db = TodoContexts.Create(Database.Owner);
        foreach (var table in db.Model.GetEntityTypes().Select(entity => entity.GetTableName()!).Distinct())
        {
            foreach (var privilege in new[] { "SELECT", "INSERT", "UPDATE", "DELETE" })
            {
                Assert.True(await ScalarAsync<bool>(Database.Owner, $"SELECT has_table_privilege('{Migrator.BackendRole}', '{table}', '{privilege}')"), $"{privilege} on {table}");
            }
        }

        Assert.False(await ScalarAsync<bool>(Database.Owner, $"SELECT has_table_privilege('{Migrator.McpRole}', 'conversations', 'SELECT')"));
    }

    [Fact]
    public async Task Migrating_again_changes_nothing_but_a_changed_password_which_it_applies()
    {
        var (again, output) = await Migrator.RunAsync(Database.Owner);
        Assert.True(again == 0, output);
        Assert.Equal(1, await ScalarAsync<int>(Database.McpServer, "SELECT 1"));

        var (changed, changeOutput) = await Migrator.RunAsync(Database.Owner, new Dictionary<string, string?> { ["Database__Roles__Mcp__Password"] = "a-new-password-0123" });
        try
        {
            Assert.True(changed == 0, changeOutput);
            var renewed = new NpgsqlConnectionStringBuilder(Database.McpServer) { Password = "a-new-password-0123" }.ConnectionString;
            Assert.Equal(1, await ScalarAsync<int>(renewed, "SELECT 1"));
            Assert.Equal(PostgresErrorCodes.InvalidPassword, (await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<int>(Database.McpServer, "SELECT 1"))).SqlState);
        }
        finally
        {
            await Migrator.RunAsync(Database.Owner);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        // Unpooled: a pooled connection would outlive a password change.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        // Unpooled: a pooled connection would outlive a password change.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
