using Phase4.Publisher.Manifest;
using Phase4.Publisher.Secrets;

namespace Phase4.Publisher;

/// <summary>The Phase4 publisher: turns the AppHost model (its Aspire manifest) into deployment files. See docs/containers.md.</summary>
internal static class PublisherCommand
{
    private const string Usage = """
        Usage: dotnet run --project Publisher -- <verb> [options]
          generate   write aspirate-output/ from the AppHost model: docker-compose.yaml, the Kustomize base and
                     overlays, the Helm chart (Chart/) and publisher-state.json (the options below, for apply)
          secrets    create aspirate-output/.env with random secrets, adding only values it does not have yet
          build      build the images, tagged with the commit: into Minikube when the kube context is a Minikube one,
                     else with docker or podman; --registry R [--push] names (and pushes) them R/phase4/<name>:<tag>
          apply      add missing secrets (never changing one), pin the images, ask the API server (server-side dry run),
                     apply, watch every rollout, record the release; --chart: helm upgrade --install instead
          destroy    delete the workloads; the database volume stays unless --purge (--chart: helm uninstall)
          rollback [REVISION]  apply an earlier release again (default: the previous deployed one; --chart: helm
                     rollback); database migrations are not undone
          backup     pg_dump -Fc of the in-cluster database through its pod (--output FILE, default tasksdb-<time>.dump)
          restore FILE --yes   stop the services, pg_restore FILE, run the migrator, bring the services back as they were
        Options:
          --output DIR         output folder (default: aspirate-output at the repository root)
          --manifest FILE      read this Aspire manifest instead of publishing the AppHost's
          --no-build           run the AppHost without building it first
          -c, --configuration CONFIG   the AppHost build to run (default Debug)
          --include-dashboard  generate: add the standalone Aspire dashboard receiving every .NET service's telemetry
          --ai-provider NAME   generate: the chat model, builtin (default) or openai (then also:)
          --ai-endpoint URL    generate: the OpenAI-compatible base URL (default api.openai.com)
          --ai-model NAME      generate: the model name; apply takes the key from the AI_API_KEY variable
          --database MODE      generate: in-cluster (default: the AppHost's Postgres as a StatefulSet) or external
          --database-cidr CIDR generate --database external: the database's addresses (NetworkPolicy egress; required)
          --database-port PORT generate --database external: its port (default 5432)
          --database-secret NAME  generate --database external: the Secret holding each service's connection string,
                               one key per service (default tasksdb-connection; docs/database.md)
          --database-max-connections N  generate: PostgreSQL's max_connections, set on the in-cluster server or the
                               external one's limit (default 100); the services' pools are sized to fit it
          --database-reserved-connections N  generate: connections no service pool takes (default 8: superuser slots,
                               migrator, backup, an operator's psql)
          --dry-run            build/apply/destroy: print the commands instead of running them
          --tag TAG            build/apply: one tag for every image (default: each image's build-input digest)
          --registry REGISTRY  build/apply: images are REGISTRY/phase4/<name>:<tag> (required by --overlay production)
          --push               build: push the images to --registry (docker or podman)
          --engine NAME        build: docker, podman or minikube (default: minikube for a Minikube context, else
                               the first of docker and podman on the PATH)
          --kube-context NAME  build/apply/destroy: the kubeconfig context (default: kubectl's current one)
          --overlay NAME       apply: minikube (default) or production
          --yes                apply: use the minikube overlay on a context that is not a Minikube one
          --host HOST          apply --overlay production: the public host name (Ingress, TLS, MCP origin; required)
          --tls-secret NAME    apply --overlay production: the TLS Secret of the host (default phase4-tls)
          --ingress-class NAME apply --overlay production: the IngressClass (default: the cluster's default)
          --storage-class NAME apply: the StorageClass of the database volume (default: the cluster's default)
          --purge              destroy: delete the namespace and the database volume too
          --chart              apply/destroy/rollback/backup/restore: the Helm chart as a Helm release (--format helm)
          --format NAME        kustomize (default) or helm
          --revision N         rollback: the release to return to (also as the argument)
          --yes                restore: replace the database (required)
        """;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = CommandLine.Parse(args[1..], args[0]);
            var repository = RepositoryLayout.Find(Directory.GetCurrentDirectory());
            var output = Path.GetFullPath(options.Output ?? repository.DefaultOutputFolder);
            var verbs = new PublisherVerbs(repository, output, options, Console.Out);
            switch (args[0])
            {
                case "generate":
                    verbs.Generate(await LoadModelAsync(repository, options));
                    return 0;
                case "secrets":
                {
                    var created = Generation.CreateSecrets(await LoadModelAsync(repository, options), output, ComposeVolumes.ListExisting());
                    // Names only: values never reach the console or logs.
                    Console.WriteLine(created.Count == 0
                        ? $"{Path.Combine(output, ".env")} already holds every value; nothing changed."
                        : $"added {string.Join(", ", created)} to {Path.Combine(output, ".env")}");
                    return 0;
                }
                case "build":
                    return await verbs.BuildAsync(await LoadModelAsync(repository, options));
                case "apply":
                    return await verbs.ApplyAsync(await LoadModelAsync(repository, options));
                case "destroy":
                    return await verbs.DestroyAsync();
                case "rollback":
                    return await verbs.RollbackAsync(await LoadModelAsync(repository, options));
                case "backup":
                    return await verbs.BackupAsync(await LoadModelAsync(repository, options));
                case "restore":
                    return await verbs.RestoreAsync(await LoadModelAsync(repository, options));
                default:
                    Console.Error.WriteLine($"Unknown verb '{args[0]}'.\n{Usage}");
                    return 2;
            }
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            Console.Error.WriteLine("publisher: " + e.Message);
            return 1;
        }
    }

    /// <summary>The model of <c>--manifest</c>, or of a fresh manifest of the AppHost.</summary>
    private static Task<Model.DeploymentModel> LoadModelAsync(RepositoryLayout repository, CommandLine options) =>
        Generation.LoadModelAsync(repository, options.Manifest, new AppHostBuild(options.NoBuild, options.Configuration), CancellationToken.None);
}
