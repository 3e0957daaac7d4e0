namespace Phase4.Publisher;

internal sealed partial record CommandLine
{
    /// <summary>The command line's help: every verb (Verbs/) and option.</summary>
    public const string Usage = """
        Usage: dotnet run --project Publisher -- <verb> [options]
          generate   write aspirate-output/ from the AppHost model: docker-compose.yaml, the Kustomize base and
                     overlays, the Helm chart (Chart/) and publisher-state.json (the options below, for apply)
          secrets    create aspirate-output/.env (Compose's, mode 0600) with random secrets, adding only values it lacks
          secrets export --to FILE --recipient AGE_RECIPIENT   the generated values the cluster's Secrets hold,
                     encrypted with age (--recipient repeatable, or --recipients-file FILE); never overwrites FILE
          secrets import FILE --identity AGE_IDENTITY_FILE   add the values of such a backup that the cluster's
                     Secrets lack (never changing one); the next apply rolls them in
          build      build the images, tagged with the commit: into Minikube when the kube context is a Minikube one,
                     else with docker or podman; --registry R [--push] names (and pushes) them R/phase4/<name>:<tag>
          apply      add missing secrets to the cluster's Secrets (never changing one; none on disk), pin the
                     images, ask the API server (server-side dry run), apply, watch every rollout, record the
                     release; --chart: helm upgrade --install instead
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
          --secrets MODE       generate: generated (default: apply creates the values) or external: the External
                               Secrets Operator fills each Secret from --secret-store (docs/kubernetes.md)
          --secret-store NAME  generate --secrets external: the SecretStore or ClusterSecretStore (required)
          --secret-store-kind KIND  generate --secrets external: SecretStore (default) or ClusterSecretStore
          --remote-key-prefix P  generate --secrets external: the store's keys are P<input> (default phase4-)
          --database-max-connections N  generate: PostgreSQL's max_connections, set on the in-cluster server or the
                               external one's limit (default 100); the services' pools are sized to fit it
          --database-reserved-connections N  generate: connections no service pool takes (default 8: superuser slots,
                               migrator, backup, an operator's psql)
          --namespace NAME     generate: the Kubernetes namespace (default phase4; a DNS label), recorded in
                               publisher-state.json: apply, rollback, destroy, backup and restore act there
          --dry-run            build/apply/destroy: print the commands instead of running them
          --tag TAG            build/apply: one tag for every image (default: each image's build-input digest)
          --registry REGISTRY  build/apply: images are REGISTRY/phase4/<name>:<tag> (required by --overlay production)
          --push               build: push the images to --registry (docker or podman)
          --engine NAME        build: docker, podman or minikube (default: minikube for a Minikube context, else
                               the first of docker and podman on the PATH)
          --kube-context NAME  build/apply/destroy/secrets: the kubeconfig context (default: kubectl's current one)
          --overlay NAME       apply: minikube (default) or production
          --yes                apply: use the minikube overlay on a context that is not a Minikube one
          --host HOST          apply --overlay production: the public host name (Ingress, TLS, MCP origin; required)
          --tls-secret NAME    apply --overlay production: the TLS Secret of the host (default phase4-tls)
          --ingress-class NAME apply --overlay production: the IngressClass (default: the cluster's default)
          --cert-issuer NAME   apply --overlay production: a cert-manager Issuer annotates the Ingress (it issues
                               the --tls-secret Secret); --cluster-issuer NAME: a ClusterIssuer
          --gateway NAME       apply --overlay production: an HTTPRoute to this Gateway instead of the Ingress
                               (--gateway-namespace NS, default the app's; --gateway-section LISTENER)
          --storage-class NAME apply: the StorageClass of the database volume (default: the cluster's default)
          --pull-secret NAME   apply --registry: every pod pulls its images with this Secret (imagePullSecrets)
          --create-pull-secret apply --pull-secret: create or update it (kubernetes.io/dockerconfigjson) from
                               REGISTRY_USERNAME and REGISTRY_PASSWORD, passed to kubectl on standard input
          --password-stdin     apply --create-pull-secret: read the password from standard input instead
          --purge              destroy: delete the namespace and the database volume too
          --chart              apply/destroy/rollback/backup/restore: the Helm chart as a Helm release (--format helm)
          --format NAME        kustomize (default) or helm
          --revision N         rollback: the release to return to (also as the argument)
          --to FILE            secrets export: the encrypted file to write (refused when it exists)
          --recipient R        secrets export: an age recipient (age1… from age-keygen, or an SSH key); repeatable
          --recipients-file F  secrets export: age recipients, one a line
          --identity FILE      secrets import: the age identity (age-keygen's key file) that decrypts the backup
          --yes                restore: replace the database (required)
        """;
}
