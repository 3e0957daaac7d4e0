using Phase4.ServiceDefaults.Security;

namespace Phase4.AppHost.Secrets;

/// <summary>The backend's private signing key (secret) and its public half for services that only validate tokens.</summary>
internal sealed record JwtKeyParameters(IResourceBuilder<ParameterResource> SigningKey, IResourceBuilder<ParameterResource> PublicKey);

internal static class JwtSigningKey
{
    public const string SigningKeyParameter = "jwt-signing-key";
    public const string PublicKeyParameter = "jwt-public-key";

    /// <summary>
    /// <c>jwt-signing-key</c>: <c>Parameters:jwt-signing-key</c> (user secrets, environment
    /// <c>Parameters__jwt-signing-key</c>) wins; otherwise run mode generates a P-256 key and keeps it in the AppHost's
    /// user secrets so tokens survive restarts, and never prompts. <c>jwt-public-key</c> is derived from it in run
    /// mode. Publish mode only references both: the deployment supplies them.
    /// </summary>
    public static JwtKeyParameters AddJwtKeys(this IDistributedApplicationBuilder builder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new JwtKeyParameters(
                builder.AddParameter(SigningKeyParameter, secret: true),
                builder.AddParameter(PublicKeyParameter));
        }

        var signingKey = builder.AddParameter(SigningKeyParameter, new GeneratedP256PrivateKey(), secret: true, persist: true);
        // Parameters are resolved one by one in the order they were added, so the signing key's value is known here.
        var publicKey = builder.AddParameter(PublicKeyParameter, () =>
            JwtKeys.PublicKeyPemOf(signingKey.Resource.GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()
                ?? throw new InvalidOperationException($"{SigningKeyParameter} has no value.")));
        return new JwtKeyParameters(signingKey, publicKey);
    }
}

/// <summary>A fresh P-256 (ES256) private key in PKCS#8 PEM.</summary>
internal sealed class GeneratedP256PrivateKey : ParameterDefault
{
    public override string GetDefaultValue() => JwtKeys.CreateKeyPair().PrivateKeyPem;

    public override void WriteToManifest(Aspire.Hosting.Publishing.ManifestPublishingContext context) =>
        throw new InvalidOperationException("A generated signing key is a run-mode default; publishing must not embed one.");
}
