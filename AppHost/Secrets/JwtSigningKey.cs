using System.Security.Cryptography;

namespace Phase4.AppHost.Secrets;

internal static class JwtSigningKey
{
    public const string ParameterName = "jwt-signing-key";

    /// <summary>
    /// The backend's PEM private key as a secret parameter. <c>Parameters:jwt-signing-key</c> (user secrets,
    /// environment <c>Parameters__jwt-signing-key</c>) wins; otherwise run mode generates a P-256 key and keeps it in
    /// the AppHost's user secrets so tokens survive restarts, and never prompts. Publish mode only references it.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddJwtSigningKey(this IDistributedApplicationBuilder builder) =>
        builder.ExecutionContext.IsRunMode
            ? builder.AddParameter(ParameterName, new GeneratedP256PrivateKey(), secret: true, persist: true)
            : builder.AddParameter(ParameterName, secret: true);
}

/// <summary>A fresh P-256 (ES256) private key in PKCS#8 PEM.</summary>
internal sealed class GeneratedP256PrivateKey : ParameterDefault
{
    public override string GetDefaultValue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context) =>
        throw new InvalidOperationException("A generated signing key is a run-mode default; publishing must not embed one.");
}
