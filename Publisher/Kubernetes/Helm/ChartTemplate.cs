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
    public static Entry If(string condition, params Entry[] entries) => new EntriesIf(condition, entries);
}
