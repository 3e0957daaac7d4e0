using System.Diagnostics;
using k8s.Models;
using Npgsql;
using Phase4.Publisher.Kubernetes;
using Phase4.Tests.Deploy;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Database;

/// <summary>
/// The production overlay's backup CronJob, its own script and settings taken from the rendered manifest and run against
/// a real PostgreSQL: it dumps, keeps the newest dumps only, and a dump restores into a fresh server with every row.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class DatabaseBackupTests(RenderedKubernetesFixture rendered) : IAsyncLifetime
{
    private readonly PostgresServer _source = new();
    private readonly PostgresServer _fresh = new();
    private readonly DirectoryInfo _backups = Directory.CreateTempSubdirectory("phase4-backups-");

    public async Task InitializeAsync()
    {
        await _source.InitializeAsync();
        await _fresh.InitializeAsync();
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_backups.FullName, (UnixFileMode)0b111_111_111);
        }
    }

    public async Task DisposeAsync()
    {
        await _source.DisposeAsync();
        await _fresh.DisposeAsync();
        _backups.Delete(recursive: true);
    }

    [Fact]
    public void The_backup_runs_nightly_one_at_a_time_as_a_restricted_pod_that_reaches_only_the_database()
    {
        var cronJob = Assert.Single(rendered.All<V1CronJob>("production"));
        Assert.Equal(DatabaseBackup.DefaultSchedule, cronJob.Spec.Schedule);
        Assert.Equal("Forbid", cronJob.Spec.ConcurrencyPolicy);
        var pod = cronJob.Spec.JobTemplate.Spec.Template.Spec;
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        Assert.Equal(999, pod.SecurityContext.RunAsUser);
        Assert.False(pod.AutomountServiceAccountToken);
        var container = Assert.Single(pod.Containers);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal(rendered.Template("production", "postgres").Container().Image, container.Image);
        // The password comes from the database's own Secret, by the name Kustomize gave it.
        var password = container.Env.Single(variable => variable.Name == "PGPASSWORD").ValueFrom.SecretKeyRef;
        Assert.Contains(rendered.All<V1Secret>("production"), secret => secret.Metadata.Name == password.Name && secret.Data.ContainsKey(password.Key));
        Assert.Contains(rendered.All<V1PersistentVolumeClaim>("production"), claim => claim.Metadata.Name == DatabaseBackup.ClaimName);

        var policy = rendered.Named<V1NetworkPolicy>("production", DatabaseBackup.Name).Spec;
        Assert.Empty(policy.Ingress ?? []);
        Assert.Equal("postgres", Assert.Single(Assert.Single(policy.Egress).To).PodSelector.MatchLabels["app.kubernetes.io/name"]);
        Assert.Empty(rendered.All<V1CronJob>(RenderedKubernetesFixture.Base));
    }

    [Fact]
    public async Task The_CronJobs_script_dumps_keeps_the_newest_and_a_dump_restores_every_row_into_a_fresh_server()
    {
        var database = await _source.CreateMigratedDatabaseAsync("backed_up");
        await SeedAsync(database.Owner);
        var container = Assert.Single(rendered.All<V1CronJob>("production")).Spec.JobTemplate.Spec.Template.Spec.Containers.Single();
        var settings = container.Env.Where(variable => variable.Value is not null).ToDictionary(variable => variable.Name, variable => variable.Value);
        Assert.Equal("tasksdb", settings["PGDATABASE"]);

        for (var run = 0; run < 3; run++)
        {
            if (run > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(1.1)); // the dumps are named by the second
            }

            await RunBackupAsync(container.Command, database.Owner, retain: 2);
        }

        var dumps = _backups.GetFiles("tasksdb-*.dump").OrderBy(file => file.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(2, dumps.Count);
        Assert.Empty(_backups.GetFiles("*.partial"));

        var restored = await _fresh.CreateDatabaseAsync("restored");
        var target = new NpgsqlConnectionStringBuilder(restored);
        await RunAsync(Tool("pg_restore"), ["--no-owner", "--no-privileges", "--host", target.Host!, "--port", target.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--username", target.Username!, "--dbname", target.Database!, dumps[^1].FullName]);
        foreach (var query in new[] { "SELECT id, email, password_hash FROM users ORDER BY id", "SELECT id, user_id, title, completed FROM tasks ORDER BY id" })
        {
            Assert.Equal(await RowsAsync(database.Owner, query), await RowsAsync(restored, query));
        }

        Assert.NotEmpty(await RowsAsync(restored, "SELECT id FROM tasks"));
    }

    /// <summary>The container's command (<c>sh -c SCRIPT</c>) run here with the manifest's settings, pointed at the test server.</summary>
    private async Task RunBackupAsync(IList<string> command, string connectionString, int retain)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        await RunAsync(command[0], command.Skip(1), new Dictionary<string, string>
        {
            ["PGHOST"] = connection.Host!,
            ["PGPORT"] = connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = connection.Username!,
            ["PGDATABASE"] = connection.Database!,
            ["BACKUP_DIR"] = _backups.FullName,
            ["RETAIN"] = retain.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PATH"] = Path.GetDirectoryName(Tool("pg_dump")) + ":" + Environment.GetEnvironmentVariable("PATH"),
        });
    }

    private static async Task SeedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var user = 0; user < 3; user++)
        {
            var id = Guid.NewGuid();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO users (id, email, normalized_email, password_hash, created_at, mcp_token_version, task_count, failed_sign_in_count) " +
                $"VALUES ('{id}', 'u{user}@example.com', 'U{user}@EXAMPLE.COM', 'hash-{user}', now(), 0, 0, 0); " +
                $"INSERT INTO tasks (user_id, title, completed, created_at, updated_at) SELECT '{id}', 'task ' || n, n % 2 = 0, now(), now() FROM generate_series(1, 5) n",
                connection);
            await insert.ExecuteNonQueryAsync();
        }
    }

    private static async Task<List<string>> RowsAsync(string connectionString, string query)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i).ToString())));
        }

        return rows;
    }

    private static string Tool(string name) =>
        Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin", name)).Where(File.Exists).Order().Last();

    private static async Task RunAsync(string program, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}:\n{await output}\n{await errors}");
    }
}
