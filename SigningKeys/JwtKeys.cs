using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.Tokens;

namespace Phase4.SigningKeys;

/// <summary>Loads PEM keys into signing/validation keys whose <c>kid</c> is the RFC 7638 JWK thumbprint.</summary>
public static class JwtKeys
{
    /// <summary>Loads a PEM private key; the result can sign. Throws <see cref="ArgumentException"/> on bad input.</summary>
    public static AsymmetricSecurityKey LoadPrivateKey(string pem) => Load(pem, requirePrivate: true);

    /// <summary>
    /// Loads a PEM public key, the public half of a PEM private key, or the key of a PEM certificate (Helm's template
    /// functions can derive a certificate from a key but not a bare public key: the chart hands the MCP server one).
    /// </summary>
    public static AsymmetricSecurityKey LoadPublicKey(string pem) => ToPublic(Load(pem, requirePrivate: false));

    public static AsymmetricSecurityKey ToPublic(AsymmetricSecurityKey key) => key switch
    {
        ECDsaSecurityKey ec => WithThumbprint(new ECDsaSecurityKey(ECDsa.Create(ec.ECDsa.ExportParameters(false)))),
        RsaSecurityKey rsa => WithThumbprint(new RsaSecurityKey((rsa.Rsa ?? RSA.Create(rsa.Parameters)).ExportParameters(false))),
        _ => throw new ArgumentException("Unsupported key type.", nameof(key)),
    };

    /// <summary>ES256 for P-256 EC keys, RS256 for RSA keys.</summary>
    public static string AlgorithmFor(SecurityKey key) =>
        key is ECDsaSecurityKey ? SecurityAlgorithms.EcdsaSha256 : SecurityAlgorithms.RsaSha256;

    /// <summary>
    /// Makes a new P-256 (ES256) key pair: (PKCS#8 private PEM, SubjectPublicKeyInfo public PEM). The one key generator
    /// of the app: the backend's development key, the AppHost's run-mode key, tests.
    /// </summary>
    public static (string PrivateKeyPem, string PublicKeyPem) CreateKeyPair()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return (ecdsa.ExportPkcs8PrivateKeyPem(), ecdsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>
    /// The SubjectPublicKeyInfo PEM of a PEM private key (EC P-256 or RSA, literal "\n" allowed), for services that
    /// only validate. Throws <see cref="ArgumentException"/> on bad input, like <see cref="LoadPrivateKey"/>.
    /// </summary>
    public static string PublicKeyPemOf(string privateKeyPem) => LoadPrivateKey(privateKeyPem) switch
    {
        ECDsaSecurityKey ec => ec.ECDsa.ExportSubjectPublicKeyInfoPem(),
        RsaSecurityKey rsa => rsa.Rsa.ExportSubjectPublicKeyInfoPem(),
        _ => throw new ArgumentException("Unsupported key type.", nameof(privateKeyPem)),
    };

    private static AsymmetricSecurityKey Load(string pem, bool requirePrivate)
    {
        // Configuration systems (Kubernetes env, .env files) often carry PEM with literal "\n".
        var text = pem.Replace("\\n", "\n", StringComparison.Ordinal).Trim();
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            throw new ArgumentException("The key is not PEM text.", nameof(pem));
        }

        var isPrivate = text.Contains("PRIVATE KEY-----", StringComparison.Ordinal);
        if (requirePrivate && !isPrivate)
        {
            throw new ArgumentException("A private key is required to sign tokens.", nameof(pem));
        }

        try
        {
            if (!isPrivate && text.Contains("BEGIN CERTIFICATE", StringComparison.Ordinal))
            {
                return FromCertificate(text);
            }

            if (text.Contains("BEGIN RSA", StringComparison.Ordinal) || IsRsa(text))
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(text);
                if (rsa.KeySize < 2048)
                {
                    throw new ArgumentException("RSA keys must be at least 2048 bits.", nameof(pem));
                }

                return WithThumbprint(new RsaSecurityKey(rsa));
            }

            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(text);
            if (ecdsa.KeySize != 256)
            {
                throw new ArgumentException("EC keys must be on the P-256 curve (ES256).", nameof(pem));
            }

            return WithThumbprint(new ECDsaSecurityKey(ecdsa));
        }
        catch (CryptographicException e)
        {
            // The message never includes key material.
            throw new ArgumentException("The PEM key could not be read: " + e.GetType().Name, nameof(pem));
        }
    }

    /// <summary>The certificate's public key; its validity dates and issuer do not matter: it only carries the key.</summary>
    private static AsymmetricSecurityKey FromCertificate(string pem)
    {
        using var certificate = X509Certificate2.CreateFromPem(pem);
        if (certificate.GetECDsaPublicKey() is { } ecdsa)
        {
            return ecdsa.KeySize == 256
                ? WithThumbprint(new ECDsaSecurityKey(ecdsa))
                : throw new ArgumentException("EC keys must be on the P-256 curve (ES256).", nameof(pem));
        }

        var rsa = certificate.GetRSAPublicKey() ?? throw new ArgumentException("The certificate holds neither an EC nor an RSA key.", nameof(pem));
        return rsa.KeySize >= 2048
            ? WithThumbprint(new RsaSecurityKey(rsa))
            : throw new ArgumentException("RSA keys must be at least 2048 bits.", nameof(pem));
    }

    private static bool IsRsa(string pem)
    {
        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static T WithThumbprint<T>(T key) where T : AsymmetricSecurityKey
    {
        var jwk = key switch
        {
            ECDsaSecurityKey ec => JsonWebKeyConverter.ConvertFromECDsaSecurityKey(ec),
            RsaSecurityKey rsa => JsonWebKeyConverter.ConvertFromRSASecurityKey(rsa),
            _ => throw new ArgumentException("Unsupported key type."),
        };
        key.KeyId = Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint());
        return key;
    }
}
