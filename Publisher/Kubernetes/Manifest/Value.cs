namespace Phase4.Publisher.Kubernetes.Manifest;

/// <summary>
/// A typed field of a Kubernetes object: a literal (the Kustomize base, and what no chart value changes) or a Helm
/// expression over the chart's values; a chart may also make the field conditional. <see cref="ObjectWriter"/> turns
/// it into the field's manifest node.
/// </summary>
internal abstract record Value<T> : IValue
{
    public Entry Entry(string key) => this switch
    {
        Literal<T> literal => new Field(key, ObjectWriter.ToNode(literal.Value)),
        Computed<T> computed => new Field(key, computed.Node),
        Conditional<T> conditional => new EntriesIf(conditional.Condition, [conditional.Value.Entry(key)]),
        WithValue<T> with => new FieldWith(with.Source, key),
        _ => throw new InvalidOperationException($"Unknown value {this}."),
    };

    public static implicit operator Value<T>(T literal) => new Literal<T>(literal);

    /// <summary>A value already built as a manifest node: a literal or a chart's expression.</summary>
    public static implicit operator Value<T>(Node node) => new Computed<T>(node);

    /// <summary>A value the chart computes: <c>{{ action }}</c>.</summary>
    public static Value<T> Helm(string action) => new Computed<T>(new Expression(action));

    /// <summary>A mapping or list the chart takes from its values with <c>toYaml</c>.</summary>
    public static Value<T> HelmYaml(string source) => new Computed<T>(new ToYaml(source));

    /// <summary>The field is present only when <paramref name="condition"/> holds (<c>{{- if }}</c>).</summary>
    public static Value<T> When(string condition, Value<T> value) => new Conditional<T>(condition, value);

    /// <summary>The field is <c>toYaml</c> of <paramref name="source"/>, present only when that is not empty (<c>{{- with }}</c>).</summary>
    public static Value<T> With(string source) => new WithValue<T>(source);
}

internal sealed record Literal<T>(T Value) : Value<T>;

internal sealed record Computed<T>(Node Node) : Value<T>;

internal sealed record Conditional<T>(string Condition, Value<T> Value) : Value<T>;

internal sealed record WithValue<T>(string Source) : Value<T>;

/// <summary>A <see cref="Value{T}"/> of any type, as the entry of the field that holds it.</summary>
internal interface IValue
{
    Entry Entry(string key);
}
