namespace Phase4.Publisher.Kubernetes.Manifest;

/// <summary>
/// An element of a typed list: the element itself, or (in a chart) elements present only when a condition holds, or
/// one element repeated over a list of the chart's values.
/// </summary>
internal abstract record Item<T> : IItem
    where T : notnull
{
    public static implicit operator Item<T>(T item) => new Single<T>(item);

    /// <summary><paramref name="then"/> when <paramref name="condition"/> holds, else <paramref name="otherwise"/>.</summary>
    public static Item<T> If(string condition, T[] then, T[] otherwise) => new IfItem<T>(condition, then, otherwise);

    /// <summary><paramref name="item"/> once per element of <paramref name="source"/> (<c>{{- range }}</c>).</summary>
    public static Item<T> Range(string source, T item) => new RangeItem<T>(source, item);

    public Node Node() => this switch
    {
        Single<T> single => ObjectWriter.ToNode(single.Item)!,
        IfItem<T> conditional => new ItemsIf(conditional.Condition, [.. conditional.Then.Select(item => ObjectWriter.ToNode(item)!)], [.. conditional.Otherwise.Select(item => ObjectWriter.ToNode(item)!)]),
        RangeItem<T> range => new ItemsRange(range.Source, ObjectWriter.ToNode(range.Item)!),
        _ => throw new InvalidOperationException($"Unknown item {this}."),
    };
}

internal sealed record Single<T>(T Item) : Item<T>
    where T : notnull;

internal sealed record IfItem<T>(string Condition, T[] Then, T[] Otherwise) : Item<T>
    where T : notnull;

internal sealed record RangeItem<T>(string Source, T Item) : Item<T>
    where T : notnull;

/// <summary>An <see cref="Item{T}"/> of any type, as its manifest node.</summary>
internal interface IItem
{
    Node Node();
}
