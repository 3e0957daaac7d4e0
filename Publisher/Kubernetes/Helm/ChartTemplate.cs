using Phase4.Publisher.Kubernetes.Manifest;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>The chart's template actions as manifest nodes, written in place by <see cref="ManifestWriter"/>.</summary>
internal static class ChartTemplate
{
    /// <summary>A scalar rendered by the action <c>{{ expression }}</c>.</summary>
    public static Expression Value(string expression) => new(expression);

    /// <summary>A mapping or list value rendered from <paramref name="expression"/> with <c>toYaml</c>, indented in place.</summary>
    public static ToYaml Yaml(string expression) => new(expression);

    /// <summary>Entries that exist only when <paramref name="condition"/> holds: <c>{{- if }}</c> … <c>{{- end }}</c>.</summary>
    public static IEnumerable<Entry> If(string condition, params Entry[] entries) => [new EntriesIf(condition, entries)];

    /// <summary>
    /// An entry <c>key: toYaml(expression)</c> present only when the expression is not empty:
    /// <c>{{- with expression }}</c> … <c>{{- end }}</c>.
    /// </summary>
    public static IEnumerable<Entry> With(string expression, string key) => [new FieldWith(expression, key)];

    /// <summary>List items present only when <paramref name="condition"/> holds.</summary>
    public static IEnumerable<Node> IfItems(string condition, params Node[] items) => [new ItemsIf(condition, items, [])];

    /// <summary>A list item that is <paramref name="then"/> when <paramref name="condition"/> holds, else <paramref name="otherwise"/>.</summary>
    public static IEnumerable<Node> IfElse(string condition, Node then, Node otherwise) => [new ItemsIf(condition, [then], [otherwise])];

    /// <summary>List items: <paramref name="item"/> once per element of <paramref name="expression"/> (<c>{{- range }}</c>).</summary>
    public static IEnumerable<Node> Range(string expression, Node item) => [new ItemsRange(expression, item)];
}
