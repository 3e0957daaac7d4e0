using Phase4.Publisher.Kubernetes.Manifest;
using Phase4.Publisher.Yaml;

namespace Phase4.Publisher.Kubernetes;

/// <summary>Terse builders for manifest nodes, so the writers read like the manifests they produce.</summary>
internal static class Nodes
{
    /// <summary>A mapping in the given order; fields whose value is null are left out.</summary>
    public static Mapping Map(params Entry[] entries) => new([.. entries.Where(entry => entry is not Field { Value: null })]);

    public static Scalar Text(string value) => new(value, !YamlText.PlainIsSafe(value));

    public static Scalar Number(int value) => new(value.ToString(System.Globalization.CultureInfo.InvariantCulture), false);

    public static Scalar Flag(bool value) => new(value ? "true" : "false", false);

    public static Sequence List(IEnumerable<Node> items) => new([.. items]);

    public static Sequence List(params Node[] items) => new(items);

    public static Sequence Texts(IEnumerable<string> items) => new([.. items.Select(Text)]);

    public static Mapping Labels(IEnumerable<KeyValuePair<string, string>> labels) =>
        Map([.. labels.Select(label => (Entry)(label.Key, (Node?)Text(label.Value)))]);
}
