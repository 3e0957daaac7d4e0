using Phase4.Domain.Data;

namespace Phase4.Backend.Database;

/// <summary>
/// <c>Database:*</c> for <c>Backend.Api migrate</c>: how long it may take, and the runtime roles it creates (given a
/// password) and grants. Role names default to the AppHost's; a role without a password is only granted, if it exists.
/// </summary>
internal sealed class MigrationOptions
{
    public const string Section = "Database";

    /// <summary>Time to reach the server and finish, after which the command exits 1 (a Job's attempt fails).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    public RoleSet Roles { get; set; } = new();

    public IEnumerable<RuntimeRole> RuntimeRoles() =>
    [
        new RuntimeRole(Roles.Backend.Name, Roles.Backend.Password, RuntimeService.Backend),
        new RuntimeRole(Roles.Mcp.Name, Roles.Mcp.Password, RuntimeService.McpServer),
    ];

    /// <summary>The settings' problems, each naming its key; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            yield return $"{Section}:Timeout must be positive.";
        }

        foreach (var (key, role) in new[] { ("Backend", Roles.Backend), ("Mcp", Roles.Mcp) })
        {
            if (!RuntimeRole.IsValidName(role.Name))
            {
                yield return $"{Section}:Roles:{key}:Name must be a lower-case PostgreSQL role name (letters, digits, '_').";
            }

            if (role.Password is { Length: 0 })
            {
                yield return $"{Section}:Roles:{key}:Password is empty: leave it unset to keep the role as it is.";
            }
        }
    }

    public sealed class RoleSet
    {
        public RoleSettings Backend { get; set; } = new() { Name = "phase4_backend" };

        public RoleSettings Mcp { get; set; } = new() { Name = "phase4_mcp" };
    }

    public sealed class RoleSettings
    {
        public string Name { get; set; } = "";

        public string? Password { get; set; }
    }
}
