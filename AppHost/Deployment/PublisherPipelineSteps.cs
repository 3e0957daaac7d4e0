// The pipeline API is experimental in Aspire 13.6 (ASPIREPIPELINES001) and it is the only way to add steps to
// aspire publish, deploy and destroy; every use of it is in this file.
#pragma warning disable ASPIREPIPELINES001

using Aspire.Hosting.Pipelines;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Phase4.Publisher;
using Phase4.Publisher.Manifest;
using Phase4.Publisher.Model;
using Phase4.Publisher.Verbs;

namespace Phase4.AppHost.Deployment;

/// <summary>
/// The publisher's verbs as steps of Aspire's pipeline, run in-process on the model this AppHost has just built:
/// <c>aspire publish</c> writes the deployment files (<c>Publisher generate</c>), <c>aspire deploy</c> writes them,
/// builds the images and applies (<c>build</c> + <c>apply</c>), <c>aspire destroy</c> deletes the workloads
/// (<c>destroy</c>), and <c>aspire do STEP</c> runs one step with what it depends on. The steps depend on none of
/// Aspire's prerequisite steps: those prompt for parameter values, and the publisher needs none (the cluster's
/// Secrets hold them; docs/containers.md).
/// </summary>
internal static class PublisherPipelineSteps
{
    public const string WriteDeploymentFiles = "write-deployment-files";

    public const string BuildImages = "build-images";

    public const string ApplyToKubernetes = "apply-to-kubernetes";

    public const string DeleteFromKubernetes = "delete-from-kubernetes";

    public const string Rollback = "rollback";

    public static void AddPublisherSteps(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsPublishMode)
        {
            return;
        }

        var repository = RepositoryLayout.Find(builder.AppHostDirectory);
        var model = new PublishedModel(repository);

        builder.Pipeline.AddStep(new PipelineStep
        {
            Name = WriteDeploymentFiles,
            Description = "Writes docker-compose.yaml, the Kustomize base and overlays and the Helm chart into the output folder (Publisher generate).",
            Action = context => RunAsync(context, async verbs =>
            {
                verbs.Generate(await model.LoadAsync(context));
                return 0;
            }),
            RequiredBySteps = [WellKnownPipelineSteps.Publish],
        });
        builder.Pipeline.AddStep(new PipelineStep
        {
            Name = BuildImages,
            Description = "Builds the images of the services built here, each tagged with the digest of its build inputs: into Minikube on a Minikube context, else with docker or podman (Publisher build).",
            Action = context => RunAsync(context, async verbs => await verbs.BuildAsync(await model.LoadAsync(context))),
        });
        builder.Pipeline.AddStep(new PipelineStep
        {
            Name = ApplyToKubernetes,
            Description = "Adds missing secrets without changing one, pins the images, asks the API server (server-side dry run), applies the Kustomize overlay, watches the rollouts and records the release; with Publisher:Format=helm, helm upgrade --install (Publisher apply).",
            Action = context => RunAsync(context, async verbs => await verbs.ApplyAsync(await model.LoadAsync(context))),
            DependsOnSteps = [WriteDeploymentFiles, BuildImages],
            RequiredBySteps = [WellKnownPipelineSteps.Deploy],
        });
        builder.Pipeline.AddStep(new PipelineStep
        {
            Name = DeleteFromKubernetes,
            Description = "Deletes the app's workloads (helm uninstall with Publisher:Format=helm); the database volume stays unless Publisher:Purge is true (Publisher destroy).",
            Action = context => RunAsync(context, verbs => verbs.DestroyAsync()),
            RequiredBySteps = [WellKnownPipelineSteps.Destroy],
        });
        // Run on its own (`aspire do rollback`): no deploy or destroy requires it.
        builder.Pipeline.AddStep(new PipelineStep
        {
            Name = Rollback,
            Description = "Applies the previous deployed release again, or Publisher:Revision; with Publisher:Format=helm, helm rollback (Publisher rollback). Migrations are not undone.",
            Action = context => RunAsync(context, async verbs => await verbs.RollbackAsync(await model.LoadAsync(context))),
        });

        // One verb with the configured options; a non-zero exit fails the step (the verb has said why).
        async Task RunAsync(PipelineStepContext context, Func<PublisherVerbs, Task<int>> verb)
        {
            using var console = new LoggerTextWriter(context.Logger);
            if (await verb(new PublisherVerbs(repository, OutputFolder(context), Options(), console)) != 0)
            {
                throw new InvalidOperationException("The publisher failed; its messages above say why.");
            }
        }

        CommandLine Options()
        {
            try
            {
                return PublisherSettings.Read(builder.Configuration);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{e.Message} (publisher options are set as {PublisherSettings.Section}:<Key>; README lists them).", e);
            }
        }

        // -o as Aspire passes it; without one, the publisher's own folder, so both routes share one output folder.
        string OutputFolder(PipelineStepContext context) =>
            context.Services.GetRequiredService<IOptions<PipelineOptions>>().Value.OutputPath is { } path
                ? Path.GetFullPath(path)
                : repository.DefaultOutputFolder;
    }

    /// <summary>The publisher's model of this AppHost, loaded once for all steps from the manifest Aspire writes for it.</summary>
    private sealed class PublishedModel(RepositoryLayout repository)
    {
        private readonly Lock _gate = new();
        private Task<DeploymentModel>? _model;

        public Task<DeploymentModel> LoadAsync(PipelineStepContext context)
        {
            lock (_gate)
            {
                return _model ??= LoadOnceAsync(context);
            }
        }

        private async Task<DeploymentModel> LoadOnceAsync(PipelineStepContext context)
        {
            var scratch = Directory.CreateTempSubdirectory("phase4-manifest-");
            try
            {
                var manifest = Path.Combine(scratch.FullName, "manifest.json");
                await InProcessManifest.WriteAsync(context.Model, context.ExecutionContext, manifest, context.CancellationToken);
                return await Generation.LoadModelAsync(repository, manifest, new AppHostBuild(), context.CancellationToken);
            }
            finally
            {
                scratch.Delete(recursive: true);
            }
        }
    }
}
