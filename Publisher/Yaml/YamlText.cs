using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Phase4.Publisher.Yaml;

/// <summary>
/// Deterministic YAML: mappings keep the order they were built in, and a string is quoted exactly when a plain
/// scalar could be read as something else (a number, a boolean, null) or contains YAML syntax.
/// </summary>
internal static partial class YamlText
{
    public static YamlScalarNode Scalar(string value) => new(value)
    {
        Style = PlainIsSafe(value) ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted,
    };

    public static YamlScalarNode Scalar(int value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };

    public static YamlSequenceNode FlowSequence(IEnumerable<string> items) =>
        new(items.Select(item => (YamlNode)Scalar(item))) { Style = SequenceStyle.Flow };

    public static YamlSequenceNode Sequence(IEnumerable<string> items) => new(items.Select(item => (YamlNode)Scalar(item)));

    /// <summary>The document as text with Unix line endings, preceded by <paramref name="headerComment"/> lines.</summary>
    public static string Write(YamlNode root, IEnumerable<string> headerComment)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        foreach (var line in headerComment)
        {
            writer.Write("# " + line + "\n");
        }

        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, newLine: "\n"));
        new YamlStream(new YamlDocument(root)).Save(emitter, assignAnchors: false);
        // The emitter closes the document with an explicit end marker, which a single-document file does not need.
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    public static bool PlainIsSafe(string value) => PlainText().IsMatch(value) && !Ambiguous().IsMatch(value);

    [GeneratedRegex(@"^[A-Za-z_/.][A-Za-z0-9_./@:+-]*$")]
    private static partial Regex PlainText();

    /// <summary>Words YAML 1.1 or 1.2 readers take for booleans or null; anything ending in ':' reads as a key.</summary>
    [GeneratedRegex(@"^(?i:y|n|yes|no|on|off|true|false|null|~)$|:$")]
    private static partial Regex Ambiguous();
}
