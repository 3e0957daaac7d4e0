using System.Collections;
using System.Reflection;

namespace Phase4.Publisher.Kubernetes.Manifest;

/// <summary>
/// Turns a typed Kubernetes object (<see cref="KubernetesObject"/> and the records it holds) into its manifest: fields in
/// declaration order, named as Kubernetes spells them (the property's name with a lower-case first letter), null fields
/// left out, <see cref="Value{T}"/> fields as literals, Helm expressions or conditional entries.
/// </summary>
internal static class ObjectWriter
{
    public static Mapping ToNode(KubernetesObject resource) =>
        Nodes.Map([("apiVersion", Nodes.Text(resource.ApiVersion)), ("kind", Nodes.Text(resource.Kind)), .. Fields(resource)]);

    private static IEnumerable<Entry> Fields(object record) => record.GetType()
        .GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        // Metadata tokens follow the source: a record's properties in the order its parameters are written.
        .OrderBy(property => property.MetadataToken)
        .Select(property => Field(FieldName(property.Name), property.GetValue(record)));

    private static string FieldName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    private static Entry Field(string name, object? value) => value switch
    {
        null => new Field(name, null),
        IValue field => field.Entry(name),
        _ => new Field(name, ToNode(value)),
    };

    public static Node? ToNode(object? value) => value switch
    {
        null => null,
        Node node => node,
        string text => Nodes.Text(text),
        int number => Nodes.Number(number),
        bool flag => Nodes.Flag(flag),
        IValue item => item.Entry("item") is Field { Value: { } node } ? node : throw new InvalidOperationException("A list item cannot be conditional."),
        IItem item => item.Node(),
        IEnumerable items => Nodes.List(items.Cast<object>().Select(item => ToNode(item)!)),
        _ => Nodes.Map([.. Fields(value)]),
    };
}

/// <summary>What every object has: its API group and version, and its kind.</summary>
internal abstract record KubernetesObject(string ApiVersion, string Kind);
