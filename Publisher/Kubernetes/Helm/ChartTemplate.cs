using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Phase4.Publisher.Yaml;
using YamlDotNet.RepresentationModel;
using static Phase4.Publisher.Kubernetes.Nodes;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// Writes Helm templates from YAML nodes in which some values are Go template actions. The object builders place a
/// marker node where a template action goes (<see cref="Value"/>, <see cref="Yaml"/>, <see cref="If"/>); the document is
/// emitted as YAML and each marker replaced by its action, indented where it stands. Markers are unique tokens the
/// builders created, so nothing else in the text is ever rewritten.
/// </summary>
internal sealed partial class ChartTemplate
{
    private readonly Dictionary<string, Marker> _markers = new(StringComparer.Ordinal);

    /// <summary>A scalar rendered by the action <c>{{ expression }}</c>.</summary>
    public YamlScalarNode Value(string expression) => Add(new InlineMarker("{{ " + expression + " }}"));

    /// <summary>A mapping or list value rendered from <paramref name="expression"/> with <c>toYaml</c>, indented in place.</summary>
    public YamlScalarNode Yaml(string expression) => Add(new YamlMarker(expression));

    /// <summary>Entries that exist only when <paramref name="condition"/> holds: <c>{{- if }}</c> … <c>{{- end }}</c>.</summary>
    public IEnumerable<(string Key, YamlNode? Value)> If(string condition, params (string Key, YamlNode? Value)[] entries) =>
        [(Token(new LineMarker("{{- if " + condition + " }}")), Text("")), .. entries, (Token(new LineMarker("{{- end }}")), Text(""))];

    /// <summary>
    /// An entry <c>key: toYaml(expression)</c> present only when the expression is not empty:
    /// <c>{{- with expression }}</c> … <c>{{- end }}</c>.
    /// </summary>
    public IEnumerable<(string Key, YamlNode? Value)> With(string expression, string key) =>
        [(Token(new LineMarker("{{- with " + expression + " }}")), Text("")), (key, Yaml(".")), (Token(new LineMarker("{{- end }}")), Text(""))];

    /// <summary>List items present only when <paramref name="condition"/> holds.</summary>
    public IEnumerable<YamlNode> IfItems(string condition, params YamlNode[] items) =>
        [Text(Token(new LineMarker("{{- if " + condition + " }}"))), .. items, Text(Token(new LineMarker("{{- end }}")))];

    /// <summary>A list item that is <paramref name="then"/> when <paramref name="condition"/> holds, else <paramref name="otherwise"/>.</summary>
    public IEnumerable<YamlNode> IfElse(string condition, YamlNode then, YamlNode otherwise) =>
    [
        Text(Token(new LineMarker("{{- if " + condition + " }}"))), then,
        Text(Token(new LineMarker("{{- else }}"))), otherwise,
        Text(Token(new LineMarker("{{- end }}"))),
    ];

    /// <summary>List items: <paramref name="item"/> once per element of <paramref name="expression"/> (<c>{{- range }}</c>).</summary>
    public IEnumerable<YamlNode> Range(string expression, YamlNode item) =>
        [Text(Token(new LineMarker("{{- range " + expression + " }}"))), item, Text(Token(new LineMarker("{{- end }}")))];

    /// <summary>
    /// The document as template text; <paramref name="condition"/> makes the whole document conditional, and a document
    /// that follows another in the same file starts with <c>---</c> inside the condition (<paramref name="follows"/>), so a
    /// document left out leaves no empty one behind.
    /// </summary>
    public string Render(YamlMappingNode root, IEnumerable<string> header, string? condition = null, bool follows = false)
    {
        var text = new StringBuilder(follows ? "---\n" : "");
        foreach (var line in YamlText.Write(root, header).Split('\n'))
        {
            text.Append(Replace(line)).Append('\n');
        }

        var body = text.ToString().TrimEnd('\n') + "\n";
        return condition is null ? body : $"{{{{- if {condition} }}}}\n{body}{{{{- end }}}}\n";
    }

    private string Replace(string line)
    {
        var match = MarkerToken().Match(line);
        if (!match.Success)
        {
            return line;
        }

        var indent = line.Length - line.TrimStart().Length;
        var marker = _markers[match.Value];
        var replaced = marker switch
        {
            LineMarker whole => new string(' ', indent) + whole.Action,
            InlineMarker inline => line[..match.Index] + inline.Action + line[(match.Index + match.Length)..],
            // `key: <marker>` becomes `key:` followed by the value's lines, two spaces deeper than the key.
            YamlMarker yaml => line[..match.Index].TrimEnd() + " {{- toYaml " + yaml.Expression + " | nindent "
                + (indent + 2).ToString(CultureInfo.InvariantCulture) + " }}" + line[(match.Index + match.Length)..],
            _ => throw new InvalidOperationException($"Unknown marker {marker}."),
        };
        return Replace(replaced);
    }

    private YamlScalarNode Add(Marker marker) => Text(Token(marker));

    private string Token(Marker marker)
    {
        var token = $"__chart_marker_{_markers.Count.ToString(CultureInfo.InvariantCulture)}__";
        _markers[token] = marker;
        return token;
    }

    [GeneratedRegex("__chart_marker_[0-9]+__")]
    private static partial Regex MarkerToken();

    private abstract record Marker;

    private sealed record InlineMarker(string Action) : Marker;

    private sealed record YamlMarker(string Expression) : Marker;

    private sealed record LineMarker(string Action) : Marker;
}
