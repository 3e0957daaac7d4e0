using System.Security.Cryptography;
using Phase4.Publisher.Model;
using Phase4.SigningKeys;

namespace Phase4.Publisher.Secrets;

/// <summary>Creates fresh values for deployment inputs (random passwords, a P-256 key pair).</summary>
internal static class InputValues
{
    private const string PasswordAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// A value for every input missing from <paramref name="existing"/>; <paramref name="environment"/> supplies
    /// operator inputs (an AI key, say). Derived inputs (a public key) use the private key, existing or new.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CreateMissing(
        IReadOnlyList<DeploymentInput> inputs,
        IReadOnlyDictionary<string, string> existing,
        Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(existing, StringComparer.Ordinal);
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        // Derived values last, so the key they derive from exists by then.
        foreach (var input in inputs.OrderBy(input => input.Generator is PublicKeyOfGenerator))
        {
            if (values.ContainsKey(input.VariableName))
            {
                continue;
            }

            var value = input.Generator switch
            {
                RandomPasswordGenerator password => RandomNumberGenerator.GetString(PasswordAlphabet, password.MinLength),
                EcPrivateKeyGenerator => NewPrivateKey(),
                PublicKeyOfGenerator derived => PublicKeyOf(PrivateKeyFor(derived, values, created)),
                DefaultValueGenerator fixedValue => fixedValue.Value,
                _ => environment(input.VariableName) ?? "",
            };
            values[input.VariableName] = value;
            created[input.VariableName] = value;
        }

        return created;
    }

    /// <summary>The private half a public key derives from; created (and kept) when the model has no input for it.</summary>
    private static string PrivateKeyFor(PublicKeyOfGenerator derived, Dictionary<string, string> values, Dictionary<string, string> created)
    {
        var variable = new DeploymentInput(derived.PrivateKeyParameter, Secret: true, new EcPrivateKeyGenerator()).VariableName;
        if (!values.TryGetValue(variable, out var privateKey))
        {
            privateKey = NewPrivateKey();
            values[variable] = privateKey;
            created[variable] = privateKey;
        }

        return privateKey;
    }

    private static string NewPrivateKey() => JwtKeys.CreateKeyPair().PrivateKeyPem;

    private static string PublicKeyOf(string privateKeyPem) => JwtKeys.PublicKeyPemOf(privateKeyPem);
}
