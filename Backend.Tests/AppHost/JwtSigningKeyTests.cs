using System.Security.Cryptography;
using Phase4.AppHost.Secrets;

namespace Phase4.Tests.AppHost;

public sealed class JwtSigningKeyTests
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
}
