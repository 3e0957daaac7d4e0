using System.Diagnostics;
using Npgsql;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Verbs;
using Phase4.Tests.Deploy;
using Phase4.Tests.Infrastructure;

namespace Phase4.Tests.Database;

/// <summary>
/// <c>backup</c> and <c>restore</c> (issue 23, point 6): the SQL they run inside the Postgres pod, run here against a
/// real PostgreSQL that requires passwords as the pod's does; and the kubectl side on the stand-in tools, where the
/// services are stopped in a way their autoscalers survive and come back at exactly the replica counts they had.
/// </summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class BackupRestoreTests(RenderedKubernetesFixture rendered) : IAsyncLifetime
{
    private readonly PostgresServer _server = PostgresServer.RequiringPasswords();
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("phase4-backup-");

    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    public Task InitializeAsync() => _server.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _scratch.Delete(recursive: true);
    }

    /// <summary>
    /// The dump and restore scripts exactly as <c>kubectl exec … -- sh -c SCRIPT</c> runs them in the pod, with the
    /// pod's <c>POSTGRES_PASSWORD</c> (the password is in no argument); then the migrator, as restore runs it: the data
    /// is the backup's, and the services' roles read it again (the dump carries no grants).
    /// </summary>
    [Fact]
    public async Task A_backup_restored_over_later_changes_brings_back_exactly_its_rows_and_the_roles_read_them_after_the_migrator()
    {
        var owner = _server.ConnectionString(await CreateDatabaseAsync());
        var database = await Migrator.MigrateAsync(owner);
        var name = new NpgsqlConnectionStringBuilder(owner).Database!;
        await ExecuteAsync(owner, "INSERT INTO users (id, email, normalized_email, password_hash, created_at, mcp_token_version, task_count, failed_sign_in_count) " +
            "VALUES ('0e9c3a1e-2f0b-4b7e-9d7e-3b1a2c4d5e6f', 'kept@example.com', 'KEPT@EXAMPLE.COM', 'hash', now(), 0, 2, 0); " +
            "INSERT INTO tasks (user_id, title, completed, created_at, updated_at) VALUES " +
            "('0e9c3a1e-2f0b-4b7e-9d7e-3b1a2c4d5e6f', 'survives the restore', false, now(), now()), ('0e9c3a1e-2f0b-4b7e-9d7e-3b1a2c4d5e6f', 'deleted after the backup', true, now(), now())");
        var backedUp = await RowsAsync(owner, "SELECT id, title, completed FROM tasks ORDER BY id");
        var context = new KubeContext("dev", IsMinikube: true);
        var dump = Path.Combine(_scratch.FullName, "tasksdb.dump");

        await RunInPodAsync(DatabaseVerbs.DumpCommand(context, "postgres-0", "postgres", "postgres", name), output: dump);
        Assert.Equal("PGDMP"u8.ToArray(), File.ReadAllBytes(dump)[..5]);
        Assert.DoesNotContain(_server.SuperuserPassword, string.Join(' ', DatabaseVerbs.DumpCommand(context, "postgres-0", "postgres", "postgres", name)), StringComparison.Ordinal);

        await ExecuteAsync(owner, "DELETE FROM tasks WHERE title = 'deleted after the backup'; INSERT INTO tasks (user_id, title, completed, created_at, updated_at) " +
            "VALUES ('0e9c3a1e-2f0b-4b7e-9d7e-3b1a2c4d5e6f', 'added after the backup', false, now(), now())");
        await RunInPodAsync(DatabaseVerbs.RestoreCommand(context, "postgres-0", "postgres", "postgres", name), input: dump);
        Assert.Equal(0, (await Migrator.RunAsync(owner)).ExitCode);

        Assert.Equal(backedUp, await RowsAsync(owner, "SELECT id, title, completed FROM tasks ORDER BY id"));
        Assert.Equal(backedUp, await RowsAsync(database.Backend, "SELECT id, title, completed FROM tasks ORDER BY id"));
        Assert.NotEmpty(await RowsAsync(database.McpServer, "SELECT id FROM tasks"));
        // The new rows get new ids after the restored ones (the sequences came back too).
        await ExecuteAsync(database.Backend, "INSERT INTO tasks (user_id, title, completed, created_at, updated_at) VALUES ('0e9c3a1e-2f0b-4b7e-9d7e-3b1a2c4d5e6f', 'after', false, now(), now())");
    }

    /// <summary>
    /// The kubectl side, pinned: each service's replica count is read and kept in an annotation, the service scaled to 0
    /// (the autoscaler then stops acting, ScalingDisabled, kubernetes pkg/controller/podautoscaler/horizontal.go, and
    /// resumes once the target has replicas), its pods waited away (<c>kubectl wait --for=delete</c>), the dump streamed
    /// into <c>pg_restore</c> (<c>kubectl exec -i</c>), a copy of the migrator's Job run, the services scaled back to
    /// their counts and waited for until ready and in their Service's endpoints. Without <c>--yes</c> nothing happens.
    /// </summary>
    [Fact]
    public async Task Restore_stops_the_readers_restores_runs_the_migrator_and_brings_each_back_to_its_count_ready_and_serving()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        var dump = Path.Combine(_scratch.FullName, "tasksdb.dump");
        await File.WriteAllBytesAsync(dump, [.. "PGDMP"u8, 1, 14, 0, 4]);
        tools.Replicas("backend", 3);
        tools.Replicas("mcpserver", 2);
        tools.JobJson = """
            {"kind":"JobList","items":[{"metadata":{"name":"migrator","creationTimestamp":"2025-01-01T00:00:00Z","labels":{"app.kubernetes.io/name":"migrator","app.kubernetes.io/instance":"phase4"}},
             "spec":{"backoffLimit":4,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},
             "template":{"metadata":{"labels":{"app.kubernetes.io/name":"migrator","batch.kubernetes.io/controller-uid":"u1","controller-uid":"u1","job-name":"migrator","batch.kubernetes.io/job-name":"migrator"}},
             "spec":{"restartPolicy":"Never","containers":[{"name":"migrator","image":"phase4/backend:abc"}]}}}}]}
            """;
        var console = new StringWriter();
        var verbs = new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, console));

        Assert.Equal(1, await verbs.RestoreAsync(rendered.App, kubeContext: null, dump, confirmed: false, helm: false));
        Assert.Contains("Add --yes", console.ToString(), StringComparison.Ordinal);
        Assert.Empty(tools.Commands);

        Assert.Equal(0, await verbs.RestoreAsync(rendered.App, kubeContext: null, dump, confirmed: true, helm: false));
        const string K = "kubectl --context dev -n phase4";
        Assert.Equal(
            [
                $"{K} get deployment backend -o jsonpath={{.spec.replicas}}/{{.metadata.annotations.dev\\.phase4/replicas-before-restore}}",
                $"{K} get deployment mcpserver -o jsonpath={{.spec.replicas}}/{{.metadata.annotations.dev\\.phase4/replicas-before-restore}}",
                $"{K} annotate deployment backend dev.phase4/replicas-before-restore=3 --overwrite",
                $"{K} scale deployment backend --replicas=0",
                $"{K} annotate deployment mcpserver dev.phase4/replicas-before-restore=2 --overwrite",
                $"{K} scale deployment mcpserver --replicas=0",
                $"{K} wait --for=delete pod -l app.kubernetes.io/instance=phase4,app.kubernetes.io/name=backend --timeout=2m",
                $"{K} wait --for=delete pod -l app.kubernetes.io/instance=phase4,app.kubernetes.io/name=mcpserver --timeout=2m",
                $"{K} exec -i postgres-0 -c postgres -- sh -c PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_restore -U postgres -d tasksdb --clean --if-exists --no-owner --no-privileges --single-transaction",
                $"{K} get job -l app.kubernetes.io/instance=phase4,app.kubernetes.io/name=migrator -o json",
                $"{K} delete job migrator-restore --ignore-not-found --wait=true",
                .. tools.Commands.Where(command => command.Contains(" create -f ", StringComparison.Ordinal)),
                $"{K} wait job/migrator-restore --for=condition=complete --timeout=5m",
                $"{K} scale deployment backend --replicas=3",
                $"{K} annotate deployment backend dev.phase4/replicas-before-restore-",
                $"{K} scale deployment mcpserver --replicas=2",
                $"{K} annotate deployment mcpserver dev.phase4/replicas-before-restore-",
                $"{K} rollout status deployment/backend --timeout=5m",
                $"{K} get endpointslices -l kubernetes.io/service-name=backend -o jsonpath={{.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}}",
                $"{K} rollout status deployment/mcpserver --timeout=5m",
                $"{K} get endpointslices -l kubernetes.io/service-name=mcpserver -o jsonpath={{.items[*].endpoints[?(@.conditions.ready==true)].addresses[0]}}",
            ],
            tools.Commands);
        Assert.Equal(File.ReadAllBytes(dump), tools.Restored);
        Assert.Contains("backend at 3, mcpserver at 2 ready and serving", console.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>backup</c>: <c>kubectl exec POD -c CONTAINER -- sh -c SCRIPT</c> (kubectl exec --help) with the output streamed to a
    /// file only its owner can read; a stream that is not a custom-format archive is not kept. On the Helm route the pod
    /// is the release's (<c>phase4-postgres-0</c>).
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Backup_streams_pg_dump_from_the_pod_to_an_owner_only_file_and_keeps_only_an_archive()
    {
        using var tools = new StandInTools(StandInTools.MinikubeContext);
        tools.Dump = [.. "PGDMP"u8, 1, 14, 0, 4, 8];
        var dump = Path.Combine(_scratch.FullName, "tasksdb.dump");
        var verbs = new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, new StringWriter()));

        Assert.Equal(0, await verbs.BackupAsync(rendered.App, kubeContext: null, dump, helm: true));
        Assert.Equal(["kubectl --context dev -n phase4 exec phase4-postgres-0 -c postgres -- sh -c PGPASSWORD=\"$POSTGRES_PASSWORD\" exec pg_dump -U postgres -d tasksdb -Fc"], tools.Commands);
        Assert.Equal((byte[])[.. "PGDMP"u8, 1, 14, 0, 4, 8], File.ReadAllBytes(dump));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump));

        tools.Dump = "pg_dump: error: connection failed"u8.ToArray();
        var console = new StringWriter();
        Assert.Equal(1, await new DeployVerbs(Repository, Repository.DefaultOutputFolder, tools.Runner(dryRun: false, console)).BackupAsync(rendered.App, kubeContext: null, dump, helm: false));
        Assert.False(File.Exists(dump));
        Assert.Contains("no custom-format archive", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_migrator_rerun_is_the_newest_Job_without_what_the_Job_controller_added()
    {
        var rerun = System.Text.Json.Nodes.JsonNode.Parse(DatabaseVerbs.RerunOf("""
            {"items":[{"metadata":{"name":"phase4-migrator","creationTimestamp":"2025-01-01T00:00:00Z","labels":{"a":"old"}},"spec":{"template":{"metadata":{},"spec":{}}}},
                      {"metadata":{"name":"phase4-migrator-upgrade","creationTimestamp":"2025-02-01T00:00:00Z","labels":{"a":"new"},"annotations":{"helm.sh/hook":"pre-upgrade"}},
                       "spec":{"backoffLimit":4,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u"}},"template":{"metadata":{"labels":{"a":"new","controller-uid":"u","batch.kubernetes.io/controller-uid":"u","job-name":"j","batch.kubernetes.io/job-name":"j"}},"spec":{"restartPolicy":"Never"}}}}]}
            """, "phase4-migrator-restore", "team-a"))!;
        Assert.Equal("phase4-migrator-restore", rerun["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("team-a", rerun["metadata"]!["namespace"]!.GetValue<string>());
        Assert.Equal("new", rerun["metadata"]!["labels"]!["a"]!.GetValue<string>());
        Assert.Null(rerun["metadata"]!["annotations"]);
        Assert.Null(rerun["spec"]!["selector"]);
        Assert.Equal(["a"], rerun["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().Select(label => label.Key));
    }

    private async Task<string> CreateDatabaseAsync() => new NpgsqlConnectionStringBuilder(await _server.CreateDatabaseAsync("restore")).Database!;

    /// <summary>
    /// The <c>sh -c SCRIPT</c> of a <c>kubectl exec</c> command, run here as the pod would run it: the pod's environment
    /// (<c>POSTGRES_PASSWORD</c>), libpq pointed at the test server (the pod uses its local socket).
    /// </summary>
    private async Task RunInPodAsync(string[] kubectlExec, string? input = null, string? output = null)
    {
        var script = kubectlExec[Array.IndexOf(kubectlExec, "--")..][1..];
        Assert.Equal(["sh", "-c"], script[..2]);
        var start = new ProcessStartInfo("sh") { RedirectStandardInput = input is not null, RedirectStandardOutput = output is not null, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script[2]);
        start.Environment["POSTGRES_PASSWORD"] = _server.SuperuserPassword;
        start.Environment["PGHOST"] = "127.0.0.1";
        start.Environment["PGPORT"] = _server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PATH"] = Path.GetDirectoryName(Tool("pg_dump")) + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await using (var file = File.OpenRead(input))
            {
                await file.CopyToAsync(process.StandardInput.BaseStream);
            }

            process.StandardInput.Close();
        }

        if (output is not null)
        {
            await using var file = File.Create(output);
            await process.StandardOutput.BaseStream.CopyToAsync(file);
        }

        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await errors);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
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
}
