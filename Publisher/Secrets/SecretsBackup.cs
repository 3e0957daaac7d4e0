using System.Text.Json.Nodes;
using Phase4.Publisher.Kubernetes;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// What <c>secrets export</c> writes and <c>secrets import</c> reads: the deployment's inputs by parameter name, as JSON,
/// encrypted with age (age-encryption.org/v1, c2sp.org/age: "a modern file encryption format with multiple pluggable
/// recipients") to the operator's recipients, ASCII-armored (the spec's "AGE ENCRYPTED FILE" PEM type, so it can travel
/// as text beside a database dump). The plain text exists only in memory and on age's standard input and output.
/// </summary>
internal static class SecretsBackup
{
    public const string Format = "phase4-secrets/1";

    /// <summary>
    /// <c>age --encrypt --armor -r RECIPIENT… | -R FILE</c>, the plain text on standard input and the armored file on
    /// standard output (age --help: "INPUT defaults to standard input, and OUTPUT defaults to standard output"); not
    /// <c>-o</c>, since "If OUTPUT exists, it will be overwritten" and export refuses to overwrite.
    /// </summary>
    public static string[] Encrypt(IReadOnlyList<string> recipients, string? recipientsFile) =>
        ["age", "--encrypt", "--armor", .. recipients.SelectMany(recipient => (string[])["-r", recipient]), .. recipientsFile is null ? [] : (string[])["-R", recipientsFile]];

    /// <summary>
    /// <c>age --decrypt -i IDENTITY FILE</c> (age --help: "-i, --identity PATH  Use the identity file at PATH"; armor is
    /// detected): the plain text on standard output, read into memory.
    /// </summary>
    public static string[] Decrypt(string identity, string file) => ["age", "--decrypt", "-i", identity, file];

    /// <summary>The backup's plain text: every input of <paramref name="app"/> in <paramref name="values"/> (by variable name).</summary>
    public static string Write(KubernetesApp app, IReadOnlyDictionary<string, string> values)
    {
        var inputs = new JsonObject();
        foreach (var input in app.Inputs.Where(input => values.ContainsKey(input.VariableName)).OrderBy(input => input.ParameterName, StringComparer.Ordinal))
        {
            inputs[input.ParameterName] = values[input.VariableName];
        }

        return new JsonObject { ["format"] = Format, ["inputs"] = inputs }.ToJsonString() + "\n";
    }

    /// <summary>The values in a backup's plain text, by parameter name; refused when it is not one.</summary>
    public static IReadOnlyDictionary<string, string> Read(string text, string file)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            root = null;
        }

        if (root?["format"]?.GetValue<string>() != Format || root["inputs"] is not JsonObject inputs)
        {
            throw new InvalidOperationException($"{file} decrypts, but is not a backup made by `secrets export` ({Format}). Nothing was changed.");
        }

        return inputs.ToDictionary(entry => entry.Key, entry => entry.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
    }
}
