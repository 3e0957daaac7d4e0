using k8s;
using k8s.Models;
using Phase4.Publisher;
using Phase4.Publisher.Deploy;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Secrets;

namespace Phase4.Tests.Deploy;

/// <summary>The command lines of build, apply and destroy (what --dry-run prints), and the tag pinning apply writes.</summary>
[Collection(RenderedKubernetesGroup.Name)]
public sealed class DeployCommandTests(RenderedKubernetesFixture rendered)
{
    private static RepositoryLayout Repository => PublishedAppHostModel.Repository;

    [Theory]
    [InlineData("docker")]
    [InlineData("podman")]
    [InlineData("minikube")]
    public void Build_builds_every_service_image_from_its_Dockerfile_tagged_with_the_given_tag(string engine)
    {
        var commands = DeployCommands.Build(rendered.App, engine, "0123abcd");
        Assert.Equal(rendered.App.Workloads.Count(w => w.Source.IsBuiltHere), commands.Count);
        foreach (var command in commands)
        {
            Assert.Equal(engine == "minikube" ? ["minikube", "image", "build"] : new[] { engine, "build" }, command[..^5]);
            Assert.Matches("^phase4/[a-z]+:0123abcd$", command[^4]);
            Assert.True(File.Exists(Path.Combine(Repository.Root, command[^2])), command[^2]);
            Assert.True(Directory.Exists(Path.Combine(Repository.Root, command[^1])), command[^1]);
        }
    }

    [Fact]
    public async Task Apply_in_dry_run_prints_the_data_check_apply_and_rollouts_and_writes_nothing()
    {
        var output = Directory.CreateTempSubdirectory("phase4-apply-");
        try
        {
            var console = new StringWriter();
            await new DeployVerbs(Repository, output.FullName, dryRun: true, console).ApplyAsync(rendered.App, "minikube", "abc123");
            var lines = console.ToString().Split('\n');
            Assert.Contains($"$ kubectl -n phase4 get pvc postgres-data-postgres-0 --ignore-not-found -o name", lines);
            Assert.Contains(lines, line => line.StartsWith("$ kubectl apply -k ", StringComparison.Ordinal) && line.EndsWith("/.deploy/minikube", StringComparison.Ordinal));
            Assert.Contains("$ kubectl -n phase4 rollout status deployment/backend --timeout=5m", lines);
            Assert.Contains("$ kubectl -n phase4 rollout status statefulset/postgres --timeout=5m", lines);
            Assert.Empty(Directory.EnumerateFileSystemEntries(output.FullName));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("minikube", "phase4/backend:abc123")]
    [InlineData("production", "registry.example.com/phase4/backend:abc123")]
    public async Task The_kustomization_apply_writes_runs_every_image_at_the_real_tag(string overlay, string backendImage)
    {
        var scratch = Directory.CreateTempSubdirectory("phase4-tagged-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(Repository.DefaultOutputFolder, "*.yaml", SearchOption.AllDirectories))
            {
                var target = Path.Combine(scratch.FullName, Path.GetRelativePath(Repository.DefaultOutputFolder, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            SecretFiles.Write(rendered.App, scratch.FullName, InputValues.CreateMissing(rendered.App.Inputs, new Dictionary<string, string>(), _ => null));
            var folder = Path.Combine(scratch.FullName, DeployCommands.ApplyFolder, overlay);
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "kustomization.yaml"), DeployCommands.TaggedKustomization(rendered.App, overlay, "abc123"));

            var objects = KubernetesYaml.LoadAllFromString(await KubernetesTools.RunAsync(KubernetesTools.Kubectl, ["kustomize", "."], folder), null, strict: true);
            var images = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name, d => d.Spec.Template.Spec.Containers[0].Image);
            Assert.Equal(backendImage, images["backend"]);
            Assert.All(images.Values, image => Assert.EndsWith(":abc123", image, StringComparison.Ordinal));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public void Destroy_deletes_everything_labelled_but_the_database_claim_unless_purged()
    {
        var destroy = Assert.Single(DeployCommands.Destroy(purge: false));
        Assert.DoesNotContain("persistentvolumeclaim", destroy[4], StringComparison.Ordinal);
        Assert.DoesNotContain("namespace", destroy[4], StringComparison.Ordinal);
        var selector = destroy[Array.IndexOf(destroy, "-l") + 1].Split('=');

        // Every object destroy must find carries the label; the StatefulSet's claims (the data) do not.
        foreach (var item in rendered.Objects(RenderedKubernetesFixture.Base).OfType<IKubernetesObject<V1ObjectMeta>>().Where(item => item is not V1Namespace))
        {
            Assert.True(item.Metadata.Labels is { } labels && labels.TryGetValue(selector[0], out var value) && value == selector[1], $"{item.Kind} {item.Metadata.Name} lacks {selector[0]}");
            Assert.Contains(item.Kind.ToLowerInvariant(), destroy[4], StringComparison.Ordinal);
        }

        var claim = Assert.Single(rendered.Named<V1StatefulSet>(RenderedKubernetesFixture.Base, "postgres").Spec.VolumeClaimTemplates);
        Assert.Null(claim.Metadata.Labels);

        Assert.Equal(["kubectl", "delete", "namespace", "phase4"], Assert.Single(DeployCommands.Destroy(purge: true))[..4]);
    }
}
