using Phase4.Publisher.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Phase4.Publisher.Kubernetes;

/// <summary>Terse builders for YAML nodes, so the writers read like the manifests they produce.</summary>
internal static class Nodes
{
    /// <summary>A mapping in the given order; entries whose value is null are left out.</summary>
    public static YamlMappingNode Map(params (string Key, YamlNode? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(key, value);
            }
        }

        return map;
    }

    public static YamlScalarNode Text(string value) => YamlText.Scalar(value);

    public static YamlScalarNode Number(int value) => YamlText.Scalar(value);

    public static YamlScalarNode Flag(bool value) => new(value ? "true" : "false") { Style = ScalarStyle.Plain };

    public static YamlSequenceNode List(IEnumerable<YamlNode> items) => new(items);

    public static YamlSequenceNode List(params YamlNode[] items) => new(items);

    public static YamlSequenceNode Texts(IEnumerable<string> items) => YamlText.Sequence(items);

    public static YamlMappingNode Labels(IEnumerable<KeyValuePair<string, string>> labels) =>
        Map(labels.Select(label => (label.Key, (YamlNode?)Text(label.Value))).ToArray());
}
