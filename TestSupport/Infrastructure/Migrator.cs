using System.Diagnostics;
using System.Security.Cryptography;
using Npgsql;

namespace Phase4.Tests.Infrastructure;

/// <summary>
/// The real migrator, <c>Backend.Api migrate</c>, run to completion as the database's owner: it applies the schema and
/// creates the runtime roles the services connect as. Roles are per server, so every test uses the same two passwords.
/// </summary>
public static class Migrator
{
    public const string BackendRole = "phase4_backend";

    public const string McpRole = "phase4_mcp";

    public static string BackendPassword { get; } = RandomNumberGenerator.GetHexString(32);

    public static string McpPassword { get; } = RandomNumberGenerator.GetHexString(32);

    /// <summary>
    /// Runs the migrator against <paramref name="ownerConnectionString"/>, from this repository's build or from
    /// <paramref name="buildDirectory"/> (another build of Backend.Api); returns its exit code and output.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string ownerConnectionString, IReadOnlyDictionary<string, string?>? extra = null, string? buildDirectory = null)
    {
        var dll = Path.Combine(buildDirectory ?? ServiceProcess.BuildDirectory("Backend.Api"), "Backend.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "migrate"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ConnectionStrings__tasksdb"] = ownerConnectionString;
        start.Environment["Database__Roles__Backend__Password"] = BackendPassword;
        start.Environment["Database__Roles__Mcp__Password"] = McpPassword;
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>Runs the migrator and fails with its output unless it succeeds.</summary>
    public static async Task<MigratedDatabase> MigrateAsync(string ownerConnectionString)
    {
        var (exitCode, output) = await RunAsync(ownerConnectionString);
        return exitCode == 0
            ? MigratedDatabase.For(ownerConnectionString)
            : throw new InvalidOperationException($"The migrator exited with {exitCode}:\n{output}");
    }
}

/// <summary>A migrated database: the owner's connection string (tests' own checks) and the services' roles'.</summary>
public sealed record MigratedDatabase(string Owner, string Backend, string McpServer)
{
    public static MigratedDatabase For(string owner) => new(
        owner,
        As(owner, Migrator.BackendRole, Migrator.BackendPassword),
        As(owner, Migrator.McpRole, Migrator.McpPassword));

    private static string As(string owner, string role, string password) =>
        new NpgsqlConnectionStringBuilder(owner) { Username = role, Password = password }.ConnectionString;
}
