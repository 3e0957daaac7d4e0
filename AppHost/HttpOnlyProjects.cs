namespace Phase4.AppHost;

internal static class HttpOnlyProjects
{
    /// <summary>
    /// Run mode serves every project over http only (launchSettings.json; no development certificate is needed). Aspire
    /// 13.6 still gives each project resource an HTTPS certificate hook, and at start-up shows the dashboard's red "No
    /// trusted development certificate" notification when any resource may use TLS and no trusted certificate exists
    /// (DcpHost.EnsureDevelopmentCertificateTrustAsync, ResourceUsesTls). <c>WithoutHttpsCertificate</c> is Aspire's
    /// way to say a resource takes no certificate. A project with an https endpoint keeps its hook (and the notice).
    /// </summary>
    public static void ServeProjectsOverHttpOnly(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }

        var httpOnly = builder.Resources.OfType<ProjectResource>()
            .Where(project => !project.Annotations.OfType<EndpointAnnotation>().Any(endpoint => endpoint.UriScheme == "https"))
            .ToList();
        foreach (var project in httpOnly)
        {
#pragma warning disable ASPIRECERTIFICATES001 // Experimental in 13.6; the supported opt-out for a resource without TLS.
            builder.CreateResourceBuilder(project).WithoutHttpsCertificate();
#pragma warning restore ASPIRECERTIFICATES001
        }
    }
}
