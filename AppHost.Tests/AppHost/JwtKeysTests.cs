using System.Security.Cryptography;
using Phase4.AppHost.Secrets;
using Phase4.SigningKeys;

namespace Phase4.Tests.AppHost;

public sealed class JwtKeysTests
{
    [Fact]
    public void The_generated_run_mode_key_is_a_fresh_P256_private_key_in_PEM()
    {
        var first = new GeneratedP256PrivateKey().GetDefaultValue();
        var second = new GeneratedP256PrivateKey().GetDefaultValue();

        using var key = ECDsa.Create();
        key.ImportFromPem(first);
        Assert.Equal(256, key.KeySize);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", first, StringComparison.Ordinal);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void The_public_key_given_to_validators_is_the_public_half_of_an_EC_signing_key()
    {
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicPem = JwtKeys.PublicKeyPemOf(signer.ExportPkcs8PrivateKeyPem());

        Assert.DoesNotContain("PRIVATE", publicPem, StringComparison.Ordinal);
        using var verifier = ECDsa.Create();
        verifier.ImportFromPem(publicPem);
        var data = "token"u8.ToArray();
        Assert.True(verifier.VerifyData(data, signer.SignData(data, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Fact]
    public void The_public_key_is_derived_from_an_RSA_signing_key_with_escaped_newlines_too()
    {
        using var signer = RSA.Create(2048);
        var escaped = signer.ExportRSAPrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal);

        var publicPem = JwtKeys.PublicKeyPemOf(escaped);

        using var verifier = RSA.Create();
        verifier.ImportFromPem(publicPem);
        Assert.Equal(signer.ExportSubjectPublicKeyInfoPem(), verifier.ExportSubjectPublicKeyInfoPem());
    }
}
