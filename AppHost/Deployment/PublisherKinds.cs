using System.Reflection;
using System.Text.Json;
using Aspire.Hosting.Publishing;

// Aspire's probes are experimental in 13.6 (ASPIREPROBES001) and its manifest writer leaves them out: they are read here.
#pragma warning disable ASPIREPROBES001

namespace Phase4.AppHost.Deployment;

/// <summary>
/// What a resource is to a deployment. Aspire's manifest says how to run a resource (a project, a container, an
/// executable) but not what it is, and an endpoint or a volume does not tell: a worker has no port and is no job, a
/// cache may have a volume and is no database. So the AppHost says it, and the publisher refuses a resource that does
/// not (Publisher/Model/WorkloadKind.cs reads the same words).
/// </summary>
internal enum ResourceKind
{
    /// <summary>Serves requests on its endpoints: a Deployment with a Service.</summary>
    Service,

    /// <summary>Runs for as long as the app runs and serves nothing (a queue consumer): a Deployment without a Service.</summary>
    Worker,

    /// <summary>Runs to completion before the services that share its database start (the migrator): a Job.</summary>
    Job,

    /// <summary>The app's database: the one the services' roles, backups and <c>--database external</c> are about.</summary>
    Database,

    /// <summary>A data store whose contents can be rebuilt (Redis): never taken for the database.</summary>
    Cache,
}

/// <summary>The kind a resource was given with <see cref="PublisherKinds.PublishAs{T}"/>.</summary>
internal sealed record ResourceKindAnnotation(ResourceKind Kind) : IResourceAnnotation;

/// <summary>
/// Writes <c>"x-phase4-kind"</c> and <c>"x-phase4-probes"</c> into each annotated resource's manifest entry, beside what
/// Aspire writes (the <c>x-</c> prefix marks them as ours, as <c>x-phase4-generate</c> does for parameters).
/// </summary>
internal static class PublisherKinds
{
    public const string KindProperty = "x-phase4-kind";
    public const string ProbesProperty = "x-phase4-probes";

    public static IResourceBuilder<T> PublishAs<T>(this IResourceBuilder<T> builder, ResourceKind kind) where T : IResource =>
        builder.WithAnnotation(new ResourceKindAnnotation(kind), ResourceAnnotationMutationBehavior.Replace);

    /// <summary>
    /// ServiceDefaults' <c>/health</c> (readiness), <c>/alive</c> (liveness) and, for a service that
    /// <paramref name="warmsUp"/>, <c>/started</c> (start-up: over once it has warmed up; without it the publisher
    /// takes the liveness path) on the <c>http</c> endpoint. In run mode the dashboard's health check on <c>/health</c>;
    /// in publish mode Aspire's probes, which the manifest carries to the publisher. Not both: a readiness probe
    /// registers that same health check, and in run mode probes would make DCP probe the processes as well.
    /// </summary>
    public static IResourceBuilder<T> WithServiceDefaultsHealth<T>(this IResourceBuilder<T> builder, bool warmsUp = true)
        where T : IResourceWithEndpoints, IResourceWithProbes
    {
        if (!builder.ApplicationBuilder.ExecutionContext.IsPublishMode)
        {
            return builder.WithHttpHealthCheck("/health");
        }

        if (warmsUp)
        {
            builder.WithHttpProbe(ProbeType.Startup, "/started", endpointName: "http");
        }

        return builder.WithHttpProbe(ProbeType.Liveness, "/alive", endpointName: "http")
            .WithHttpProbe(ProbeType.Readiness, "/health", endpointName: "http");
    }

    /// <summary>
    /// Makes every resource given a kind write it (and its probes) into the manifest. Call it once, after the last
    /// resource is added: it wraps each one's manifest writer, Aspire's own or an integration's callback.
    /// </summary>
    public static void WriteKindsToManifest(this IDistributedApplicationBuilder builder)
    {
        foreach (var resource in builder.Resources)
        {
            var inner = resource.Annotations.OfType<ManifestPublishingCallbackAnnotation>().LastOrDefault();
            // Once: a second wrapper would write the properties twice.
            if (resource.Annotations.OfType<ResourceKindAnnotation>().LastOrDefault() is { } kind && inner is not KindWritingCallback)
            {
                resource.Annotations.Add(new KindWritingCallback(async context =>
                {
                    await (inner?.Callback is { } callback ? callback(context) : AspireWriter(resource)(context));
                    WriteKind(context.Writer, kind.Kind, resource);
                }));
            }
        }
    }

    private static void WriteKind(Utf8JsonWriter writer, ResourceKind kind, IResource resource)
    {
        writer.WriteString(KindProperty, kind.ToString().ToLowerInvariant());
        var probes = resource.Annotations.OfType<EndpointProbeAnnotation>().ToList();
        if (probes.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(ProbesProperty);
        foreach (var probe in probes)
        {
            writer.WriteStartObject();
            writer.WriteString("type", probe.Type.ToString().ToLowerInvariant());
            writer.WriteString("endpoint", probe.EndpointReference.EndpointName);
            writer.WriteString("path", probe.Path);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Aspire's writer for a resource without a callback. Those of projects and executables are private in Aspire
    /// 13.6.5 (containers' is public), so they are found by reflection; Aspire is pinned (Directory.Packages.props),
    /// and <c>AspirePublishTests</c> fails if the manifest stops matching <c>Publisher generate</c>.
    /// </summary>
    private static Func<ManifestPublishingContext, Task> AspireWriter(IResource resource)
    {
        if (resource is ContainerResource container)
        {
            return context => context.WriteContainerAsync(container);
        }

        var name = resource switch
        {
            ProjectResource => "WriteProjectAsync",
            ExecutableResource => "WriteExecutableAsync",
            _ => throw new NotSupportedException($"{resource.Name}: only projects, containers and executables have a kind for the publisher."),
        };
        var method = typeof(ManifestPublishingContext).GetMethods(BindingFlags.Instance | BindingFlags.NonPublic)
            .SingleOrDefault(m => m.Name == name && m.GetParameters() is [var parameter] && parameter.ParameterType.IsInstanceOfType(resource))
            ?? throw new InvalidOperationException(
                $"ManifestPublishingContext.{name} is gone: this Aspire version writes its manifest differently; update AppHost/Deployment/PublisherKinds.cs.");
        return context => (Task)method.Invoke(context, [resource])!;
    }

    /// <summary>The wrapper <see cref="WriteKindsToManifest"/> adds, told apart from Aspire's and integrations' callbacks.</summary>
    private sealed class KindWritingCallback(Func<ManifestPublishingContext, Task> callback) : ManifestPublishingCallbackAnnotation(callback);
}
