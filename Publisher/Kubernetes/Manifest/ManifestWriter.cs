using System.Globalization;
using System.Text;

namespace Phase4.Publisher.Kubernetes.Manifest;

/// <summary>
/// Writes manifests as block YAML, the way the rest of the output is written (two-space indent, lists flush with their
/// key, <c>{}</c> and <c>[]</c> for empty ones), with a chart's expressions and conditionals in place: an
/// <see cref="Expression"/> where its value goes, an <c>if</c>, <c>with</c> or <c>range</c> line at the indent of the
/// entries or items it encloses, and <c>toYaml … | nindent</c> two spaces deeper than its key.
/// </summary>
internal static class ManifestWriter
{
    /// <summary>The document as text with Unix line endings, preceded by <paramref name="header"/> comment lines.</summary>
    public static string Write(Node root, IEnumerable<string> header)
    {
        var text = new StringBuilder();
        foreach (var line in header)
        {
            text.Append("# ").Append(line).Append('\n');
        }

        switch (root)
        {
            case Mapping { Count: > 0 } mapping:
                WriteEntries(text, mapping.Entries, 0, null);
                break;
            case Sequence { Items.Count: > 0 } sequence:
                WriteItems(text, sequence.Items, 0);
                break;
            default:
                text.Append(Inline(root)).Append('\n');
                break;
        }

        return text.ToString();
    }

    /// <summary>
    /// A chart template: the document, made conditional on <paramref name="condition"/>; a document that follows another
    /// in the same file starts with <c>---</c> inside the condition (<paramref name="follows"/>), so a document left out
    /// leaves no empty one behind.
    /// </summary>
    public static string Render(Mapping root, IEnumerable<string> header, string? condition = null, bool follows = false)
    {
        var body = (follows ? "---\n" : "") + Write(root, header);
        return condition is null ? body : $"{{{{- if {condition} }}}}\n{body}{{{{- end }}}}\n";
    }

    /// <summary>Entries at <paramref name="indent"/>; the first line starts with <paramref name="first"/> instead (a list item's <c>- </c>).</summary>
    private static void WriteEntries(StringBuilder text, IEnumerable<Entry> entries, int indent, string? first)
    {
        foreach (var entry in entries)
        {
            if (entry is Field { Value: null })
            {
                continue;
            }

            var pad = first ?? new string(' ', indent);
            if (first is not null && entry is not Field)
            {
                throw new InvalidOperationException("A list item's mapping cannot start with a conditional entry.");
            }

            first = null;
            switch (entry)
            {
                case Field { Value: { } value } field:
                    WriteField(text, pad, Key(field.Key), value, indent);
                    break;
                case EntriesIf conditional:
                    Line(text, indent, $"{{{{- if {conditional.Condition} }}}}");
                    WriteEntries(text, conditional.Entries, indent, null);
                    Line(text, indent, "{{- end }}");
                    break;
                case FieldWith with:
                    Line(text, indent, $"{{{{- with {with.Source} }}}}");
                    WriteField(text, pad, Key(with.Key), new ToYaml("."), indent);
                    Line(text, indent, "{{- end }}");
                    break;
            }
        }
    }

    private static void WriteField(StringBuilder text, string pad, string key, Node value, int indent)
    {
        text.Append(pad).Append(key).Append(':');
        switch (value)
        {
            case Mapping { Count: > 0 } mapping:
                text.Append('\n');
                WriteEntries(text, mapping.Entries, indent + 2, null);
                break;
            case Sequence { Items.Count: > 0 } sequence:
                text.Append('\n');
                WriteItems(text, sequence.Items, indent);
                break;
            case ToYaml yaml:
                text.Append(" {{- toYaml ").Append(yaml.Source).Append(" | nindent ")
                    .Append((indent + 2).ToString(CultureInfo.InvariantCulture)).Append(" }}\n");
                break;
            default:
                text.Append(' ').Append(Inline(value)).Append('\n');
                break;
        }
    }

    private static void WriteItems(StringBuilder text, IEnumerable<Node> items, int indent)
    {
        foreach (var item in items)
        {
            switch (item)
            {
                case Mapping { Count: > 0 } mapping:
                    WriteEntries(text, mapping.Entries, indent + 2, new string(' ', indent) + "- ");
                    break;
                case ItemsIf conditional:
                    Line(text, indent, $"{{{{- if {conditional.Condition} }}}}");
                    WriteItems(text, conditional.Then, indent);
                    if (conditional.Otherwise.Count > 0)
                    {
                        Line(text, indent, "{{- else }}");
                        WriteItems(text, conditional.Otherwise, indent);
                    }

                    Line(text, indent, "{{- end }}");
                    break;
                case ItemsRange range:
                    Line(text, indent, $"{{{{- range {range.Source} }}}}");
                    WriteItems(text, [range.Item], indent);
                    Line(text, indent, "{{- end }}");
                    break;
                default:
                    text.Append(' ', indent).Append("- ").Append(Inline(item)).Append('\n');
                    break;
            }
        }
    }

    private static void Line(StringBuilder text, int indent, string action) => text.Append(' ', indent).Append(action).Append('\n');

    private static string Inline(Node node) => node switch
    {
        Scalar scalar => scalar.Quoted ? DoubleQuoted(scalar.Text) : scalar.Text,
        Expression expression => "{{ " + expression.Action + " }}",
        Mapping { Count: 0 } => "{}",
        Sequence { Items.Count: 0 } => "[]",
        _ => throw new InvalidOperationException($"{node.GetType().Name} cannot be written inline."),
    };

    private static string Key(string key) => Yaml.YamlText.PlainIsSafe(key) ? key : DoubleQuoted(key);

    /// <summary>A double-quoted scalar with YAML's escapes for quotes, backslashes, line breaks and control characters.</summary>
    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\0' => "\\0",
                '\a' => "\\a",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\v' => "\\v",
                '\f' => "\\f",
                '\r' => "\\r",
                '\x1B' => "\\e",
                '\x85' => "\\N",
                '\u2028' => "\\L",
                '\u2029' => "\\P",
                _ when char.IsControl(c) => "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
