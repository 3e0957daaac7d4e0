using k8s.Models;
using Phase4.Publisher.Kubernetes;
using Phase4.SigningKeys;

namespace Phase4.Tests.Deploy;

/// <summary>Postgres' StatefulSet, the backend's scaling, service discovery and secrets as issue 6 requires them.</summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class KubernetesWorkloadTests(RenderedKubernetesFixture rendered)
{
    private const string Base = RenderedKubernetesFixture.Base;

    public static TheoryData<string> Variants => RenderedObjects.VariantData();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Postgres_is_a_StatefulSet_keeping_its_data_on_a_claim_at_var_lib_postgresql_as_user_999(string variant)
    {
        var postgres = rendered.Named<V1StatefulSet>(variant, "postgres");
        var claim = Assert.Single(postgres.Spec.VolumeClaimTemplates);
        Assert.Equal(WorkloadDefaults.VolumeSize, claim.Spec.Resources.Requests["storage"].ToString());
        var container = postgres.Spec.Template.Container();
        Assert.Equal(claim.Metadata.Name, container.VolumeMounts.Single(mount => mount.MountPath == "/var/lib/postgresql").Name);
        var socket = container.VolumeMounts.Single(mount => mount.MountPath == "/var/run/postgresql");
        Assert.NotNull(postgres.Spec.Template.Spec.Volumes.Single(volume => volume.Name == socket.Name).EmptyDir);
        var security = postgres.Spec.Template.Spec.SecurityContext;
        Assert.Equal(999, security.RunAsUser);
        Assert.Equal(999, security.FsGroup);
        Assert.Equal("docker.io/library/postgres:18.3", container.Image);

        Assert.Equal("tasksdb", rendered.Settings(variant, postgres.Spec.Template)["POSTGRES_DB"]);
        Assert.False(rendered.Settings(variant, postgres.Spec.Template).ContainsKey("POSTGRES_PASSWORD"));
        Assert.True(rendered.Secrets(variant, postgres.Spec.Template)["POSTGRES_PASSWORD"].Length >= 22);
        Assert.Equal(5432, rendered.Named<V1Service>(variant, "postgres").Spec.Ports.Single().Port);
    }

    /// <summary>As the well-kept database charts run Postgres (Bitnami's postgresql chart: headless service, TCP probe, dshm).</summary>
    [Theory]
    [MemberData(nameof(Variants))]
    public void Postgres_has_a_headless_governing_Service_a_TCP_readiness_check_shared_memory_and_a_cheap_volume_ownership_check(string variant)
    {
        var postgres = rendered.Named<V1StatefulSet>(variant, "postgres");
        var headless = rendered.Named<V1Service>(variant, "postgres-headless");
        Assert.Equal(RenderedKubernetesFixture.NameOf(variant, "postgres-headless"), postgres.Spec.ServiceName);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        Assert.Equal(postgres.Spec.Selector.MatchLabels.OrderBy(l => l.Key), headless.Spec.Selector.OrderBy(l => l.Key));

        // Over TCP to loopback: during initdb the image's entrypoint serves on the socket only, and must not be ready.
        var container = postgres.Spec.Template.Container();
        string[] check = ["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "tasksdb"];
        Assert.All(new[] { container.StartupProbe, container.ReadinessProbe, container.LivenessProbe }, probe => Assert.Equal(check, probe.Exec.Command));

        var shm = container.VolumeMounts.Single(mount => mount.MountPath == "/dev/shm");
        Assert.Equal("Memory", postgres.Spec.Template.Spec.Volumes.Single(volume => volume.Name == shm.Name).EmptyDir.Medium);
        Assert.Equal("OnRootMismatch", postgres.Spec.Template.Spec.SecurityContext.FsGroupChangePolicy);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_backend_autoscales_on_cpu_from_one_to_five_with_no_fixed_replicas_and_surges_without_losing_capacity(string variant)
    {
        var autoscaler = rendered.Named<V2HorizontalPodAutoscaler>(variant, "backend");
        Assert.Equal(variant == "production" ? 2 : 1, autoscaler.Spec.MinReplicas);
        Assert.Equal(5, autoscaler.Spec.MaxReplicas);
        Assert.Equal("cpu", Assert.Single(autoscaler.Spec.Metrics).Resource.Name);
        Assert.Equal(("Deployment", RenderedKubernetesFixture.NameOf(variant, "backend")), (autoscaler.Spec.ScaleTargetRef.Kind, autoscaler.Spec.ScaleTargetRef.Name));

        var backend = rendered.Named<V1Deployment>(variant, "backend");
        Assert.Null(backend.Spec.Replicas);
        Assert.Equal("RollingUpdate", backend.Spec.Strategy.Type);
        Assert.Equal("0", backend.Spec.Strategy.RollingUpdate.MaxUnavailable.Value);

        var budget = rendered.Named<V1PodDisruptionBudget>(variant, "backend");
        Assert.Equal(backend.Spec.Selector.MatchLabels, budget.Spec.Selector.MatchLabels);
        Assert.Null(budget.Spec.MinAvailable); // minAvailable 1 at one replica would block every node drain
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Services_are_named_as_the_AppHost_resources_and_carry_the_AppHost_discovery_variables(string variant)
    {
        foreach (var workload in rendered.App.Workloads.Where(w => !w.IsJob))
        {
            var service = rendered.Named<V1Service>(variant, workload.Name);
            Assert.Equal(rendered.Template(variant, workload.Name).Metadata.Labels.Where(label => label.Key is "app.kubernetes.io/name" or "app.kubernetes.io/instance").OrderBy(l => l.Key),
                service.Spec.Selector.OrderBy(l => l.Key));
        }

        // The chart names services after its release, so two releases can share a namespace.
        var backend = rendered.Template(variant, "backend");
        Assert.Equal($"http://{RenderedKubernetesFixture.NameOf(variant, "mcpserver")}:8080", rendered.Settings(variant, backend)["services__mcpserver__http__0"]);
        Assert.Equal(8080, rendered.Named<V1Service>(variant, "mcpserver").Spec.Ports.Single().Port);
        // Each service connects as its own role; only the migrator as the owner.
        foreach (var (name, role) in new[] { ("backend", "phase4_backend"), ("mcpserver", "phase4_mcp"), ("migrator", "postgres") })
        {
            var connection = rendered.Secrets(variant, rendered.Template(variant, name))["ConnectionStrings__tasksdb"];
            Assert.StartsWith($"Host={RenderedKubernetesFixture.NameOf(variant, "postgres")};Port=5432;Username={role};Password=", connection, StringComparison.Ordinal);
            Assert.EndsWith(";Database=tasksdb", connection, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Only_the_backend_gets_the_signing_key_and_the_MCP_server_only_the_public_key(string variant)
    {
        var backendSecrets = rendered.Secrets(variant, rendered.Template(variant, "backend"));
        var mcpSecrets = rendered.Secrets(variant, rendered.Template(variant, "mcpserver"));
        var signing = JwtKeys.LoadPrivateKey(backendSecrets["Jwt__SigningKey"]);
        var verifying = JwtKeys.LoadPublicKey(mcpSecrets["Jwt__PublicKey"]);
        Assert.Equal(JwtKeys.ToPublic(signing).KeyId, verifying.KeyId);

        foreach (var (_, name, template) in rendered.PodTemplates(variant).Where(p => p.Name != "backend"))
        {
            Assert.DoesNotContain(rendered.Secrets(variant, template).Values, value => value.Contains("PRIVATE KEY", StringComparison.Ordinal));
        }

        foreach (var configMap in rendered.All<V1ConfigMap>(variant))
        {
            Assert.DoesNotContain(configMap.Data.Keys, key => key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase)
                || key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || key.StartsWith("Jwt__", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Settings_are_in_ConfigMaps_and_the_committed_Kustomize_files_hold_no_secret_value()
    {
        Assert.Equal("builtin", rendered.Settings(Base, rendered.Template(Base, "backend"))["AI__Provider"]);
        foreach (var path in KustomizeWriter.Write(rendered.App).Keys)
        {
            var text = File.ReadAllText(Path.Combine(PublishedAppHostModel.Repository.DefaultOutputFolder, path));
            Assert.DoesNotContain("PRIVATE KEY", text, StringComparison.Ordinal);
            Assert.DoesNotContain("kind: Secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Password=", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Minikube_exposes_the_entry_point_on_a_NodePort_and_production_on_an_Ingress_with_the_TLS_secret()
    {
        var entry = rendered.App.EntryPoint!.Name;
        Assert.Equal("ClusterIP", rendered.Named<V1Service>(Base, entry).Spec.Type);
        Assert.Equal("NodePort", rendered.Named<V1Service>("minikube", entry).Spec.Type);
        Assert.All(rendered.PodTemplates("minikube"), p => Assert.Equal("IfNotPresent", p.Template.Container().ImagePullPolicy));

        var ingress = Assert.Single(rendered.All<V1Ingress>("production"));
        Assert.Equal(KubernetesApp.DefaultTlsSecretName, Assert.Single(ingress.Spec.Tls).SecretName);
        Assert.Equal(entry, ingress.Spec.Rules.Single().Http.Paths.Single().Backend.Service.Name);
        Assert.Empty(rendered.All<V1Ingress>(Base));
    }
}
