using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Phase4.Domain.Accounts;
using Phase4.Domain.Tasks;

namespace Phase4.Domain.Data;

/// <summary>Which service a runtime role serves, and so which privileges it gets (<see cref="DatabaseAccess"/>).</summary>
public enum RuntimeService
{
    /// <summary>Backend.Api: reads and writes every table of the model.</summary>
    Backend,

    /// <summary>The MCP server: the five task tools, nothing of the accounts but the columns the tools' checks read.</summary>
    McpServer,
}

/// <summary>A login role a service connects as; the migrator creates it when given a password, and grants it its privileges.</summary>
public sealed partial record RuntimeRole(string Name, string? Password, RuntimeService Service)
{
    /// <summary>Lower-case letters, digits and '_', as PostgreSQL folds unquoted names: safe to write into SQL quoted.</summary>
    public static bool IsValidName(string name) => RoleName().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();
}

/// <summary>
/// Least privilege for the services' roles, written as SQL from the EF Core model: neither runtime role is a superuser,
/// owns a table or may run DDL (no CREATE on the schema); the backend may read and write every table; the MCP server
/// only the tasks and their count's shards, plus the columns of <c>users</c> its checks read (the MCP token version,
/// and for one more release the old task count) — never an email or a password hash. Both may read EF Core's migration history, which
/// their readiness checks. The migrator runs these statements in one transaction after every migration, so a new table
/// gets its grants in the release that adds it and a revoked privilege never lingers.
/// </summary>
public static class DatabaseAccess
{
    private const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>
    /// Creates <paramref name="role"/> when missing and sets its password and attributes (only with a password: an
    /// operator's own roles are left as they are). Needs CREATEROLE (or a superuser), which the owner's role has where
    /// the app runs the server; on a managed server the operator creates the roles (docs/database.md).
    /// </summary>
    public static IEnumerable<string> RoleStatements(RuntimeRole role)
    {
        if (role.Password is null)
        {
            yield break;
        }

        var name = Identifier(role.Name);
        yield return $"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(role.Name)}) THEN CREATE ROLE {name} LOGIN; END IF; END $$";
        // Utility statements take no parameters: the password is written as a quoted literal (and never logged).
        yield return $"ALTER ROLE {name} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD {Literal(role.Password)}";
    }

    /// <summary>The statements that give <paramref name="role"/> exactly its service's privileges on the current schema.</summary>
    public static IReadOnlyList<string> GrantStatements(IModel model, RuntimeRole role)
    {
        var name = Identifier(role.Name);
        var statements = new List<string>
        {
            // PostgreSQL 15 no longer lets PUBLIC create in the public schema; older servers and managed ones may.
            "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
            $"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}",
            $"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}",
            $"GRANT USAGE ON SCHEMA public TO {name}",
            $"GRANT SELECT ON {Identifier(HistoryTable)} TO {name}",
        };
        statements.AddRange(role.Service switch
        {
            RuntimeService.Backend => model.GetEntityTypes().Select(TableOf).Distinct().Select(table => $"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {name}"),
            RuntimeService.McpServer => McpServerGrants(model, name),
            _ => throw new ArgumentOutOfRangeException(nameof(role)),
        });
        return statements;
    }

    /// <summary>
    /// Creates or updates the roles and grants them their privileges, in one transaction on <paramref name="connection"/>
    /// (the owner's): the services see the old privileges or the new ones, never none. A role without a password that
    /// does not exist is skipped (external mode without the app's roles).
    /// </summary>
    public static async Task ApplyAsync(NpgsqlConnection connection, IModel model, IEnumerable<RuntimeRole> roles, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var role in roles)
        {
            foreach (var statement in RoleStatements(role))
            {
                await ExecuteAsync(connection, statement, cancellationToken);
            }

            if (await RoleExistsAsync(connection, role.Name, cancellationToken))
            {
                foreach (var statement in GrantStatements(model, role))
                {
                    await ExecuteAsync(connection, statement, cancellationToken);
                }
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static IEnumerable<string> McpServerGrants(IModel model, string role)
    {
        var users = model.FindEntityType(typeof(UserAccount)) ?? throw new InvalidOperationException("The model has no accounts.");
        string Column(string property) => Identifier(users.FindProperty(property)!.GetColumnName());
        var readable = string.Join(", ", new[] { nameof(UserAccount.Id), nameof(UserAccount.McpTokenVersion), nameof(UserAccount.TaskCount) }.Select(Column));
        yield return $"GRANT SELECT, INSERT, UPDATE, DELETE ON {TableOf(model.FindEntityType(typeof(TodoTask))!)} TO {role}";
        // The task quota reads the count's shards, and the trigger counting tasks runs as the inserting role and writes
        // them. UPDATE of task_count stays for one release: the previous one's quota locks the owner's row with it.
        yield return $"GRANT SELECT, INSERT, UPDATE ON {TableOf(model.FindEntityType(typeof(TaskCountShard))!)} TO {role}";
        yield return $"GRANT SELECT ({readable}), UPDATE ({Column(nameof(UserAccount.TaskCount))}) ON {TableOf(users)} TO {role}";
    }

    private static string TableOf(IEntityType entity) => Identifier(entity.GetTableName()!);

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
