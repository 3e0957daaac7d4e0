using System.Reflection;
using System.Text.Json;
using Aspire.Hosting.Publishing;

namespace Phase4.AppHost.Deployment;

/// <summary>
/// Writes the running AppHost's Aspire JSON manifest with Aspire's own writer, the one <c>--publisher manifest</c> (the
/// <c>publish-manifest</c> step) runs, so the publisher reads in-process exactly what it reads from a published manifest.
/// That writer (<c>ManifestPublishingContext.WriteModel</c>) is internal in Aspire 13.6.5, and the
/// <c>publish-manifest</c> step writes into the pipeline's output folder, which must hold the publisher's files and
/// nothing else; so it is called by reflection. Aspire is pinned (Directory.Packages.props), and
/// <c>AspirePublishTests</c> fails if its output stops matching <c>Publisher generate</c>.
/// </summary>
internal static class InProcessManifest
{
    public static async Task WriteAsync(DistributedApplicationModel model, DistributedApplicationExecutionContext executionContext, string manifestPath, CancellationToken cancellationToken)
    {
        var writeModel = typeof(ManifestPublishingContext).GetMethod(
                "WriteModel", BindingFlags.Instance | BindingFlags.NonPublic, [typeof(DistributedApplicationModel), typeof(CancellationToken)])
            ?? throw new InvalidOperationException(
                "ManifestPublishingContext.WriteModel(DistributedApplicationModel, CancellationToken) is gone: this Aspire version " +
                "publishes its manifest differently; update AppHost/Deployment/InProcessManifest.cs.");
        await using var stream = File.Create(manifestPath);
        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        var context = new ManifestPublishingContext(executionContext, manifestPath, writer, cancellationToken);
        await (Task)writeModel.Invoke(context, [model, cancellationToken])!;
    }
}
