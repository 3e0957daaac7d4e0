using Aspire.Hosting.Publishing;
using Phase4.SigningKeys;

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
    /// user secrets so tokens survive restarts, and never prompts. <c>jwt-public-key</c> is derived from it. In the
    /// manifest both say how they are made (<see cref="GeneratedValue"/>), so the publisher generates them by kind,
    /// not by name.
    /// </summary>
    public static JwtKeyParameters AddJwtKeys(this IDistributedApplicationBuilder builder)
    {
        var signingKey = builder.AddParameter(SigningKeyParameter, new GeneratedP256PrivateKey(), secret: true, persist: builder.ExecutionContext.IsRunMode);
        var publicKey = builder.AddParameter(PublicKeyParameter, new PublicKeyOf(signingKey.Resource));
        return new JwtKeyParameters(signingKey, publicKey);
    }
}

/// <summary>
/// A value a deployment generates once. The manifest carries <c>"default": {"x-phase4-generate": {"kind": …}}</c>
/// instead of a value (the <c>x-</c> prefix marks it as ours, beside Aspire's own <c>generate</c>), and the
/// publisher's secrets step creates it; a value is never embedded in published files.
/// </summary>
internal abstract class GeneratedValue(string kind) : ParameterDefault
{
    public const string ManifestProperty = "x-phase4-generate";

    public override void WriteToManifest(ManifestPublishingContext context)
    {
        context.Writer.WriteStartObject(ManifestProperty);
        context.Writer.WriteString("kind", kind);
        WriteDetails(context.Writer);
        context.Writer.WriteEndObject();
    }

    protected virtual void WriteDetails(System.Text.Json.Utf8JsonWriter writer)
    {
    }
}

/// <summary>A fresh P-256 (ES256) private key in PKCS#8 PEM.</summary>
internal sealed class GeneratedP256PrivateKey() : GeneratedValue("p256-private-key")
{
    public override string GetDefaultValue() => JwtKeys.CreateKeyPair().PrivateKeyPem;
}

/// <summary>The PEM public key of another parameter's P-256 private key.</summary>
internal sealed class PublicKeyOf(ParameterResource privateKey) : GeneratedValue("public-key-of")
{
    // Parameters are resolved one by one in the order they were added, so the private key's value is known here.
    public override string GetDefaultValue() =>
        JwtKeys.PublicKeyPemOf(privateKey.GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"{privateKey.Name} has no value."));

    protected override void WriteDetails(System.Text.Json.Utf8JsonWriter writer) => writer.WriteString("of", privateKey.Name);
}
