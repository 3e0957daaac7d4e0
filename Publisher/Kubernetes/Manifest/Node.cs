namespace Phase4.Publisher.Kubernetes.Manifest;

/// <summary>
/// A value in a Kubernetes manifest: a literal, a Helm expression, or a mapping or list of them. The Kustomize base is
/// made of literals only; the chart's templates hold expressions and explicit conditionals, written by the one
/// <see cref="ManifestWriter"/> (no placeholder text is rewritten after the YAML is emitted).
/// </summary>
internal abstract record Node;

/// <summary>A literal scalar, double-quoted where a plain one could be read as something else.</summary>
internal sealed record Scalar(string Text, bool Quoted) : Node;

/// <summary>A scalar the chart computes: <c>{{ action }}</c>.</summary>
internal sealed record Expression(string Action) : Node;

/// <summary>A mapping or list the chart takes from its values: <c>{{- toYaml expression | nindent n }}</c>.</summary>
internal sealed record ToYaml(string Source) : Node;

/// <summary>A mapping in the order it was built; <see cref="Add"/> appends an entry (a hook's annotations).</summary>
internal sealed record Mapping(List<Entry> Entries) : Node
{
    public int Count => Entries.Count;

    public Node this[string key] => Entries.OfType<Field>().Single(field => field.Key == key).Value!;

    public void Add(string key, Node value) => Entries.Add(new Field(key, value));
}

/// <summary>A list; its items may be <see cref="ItemsIf"/> or <see cref="ItemsRange"/>.</summary>
internal sealed record Sequence(IReadOnlyList<Node> Items) : Node;

/// <summary>List items present when <paramref name="Condition"/> holds, else <paramref name="Otherwise"/>.</summary>
internal sealed record ItemsIf(string Condition, IReadOnlyList<Node> Then, IReadOnlyList<Node> Otherwise) : Node;

/// <summary>A list item repeated for each element of <paramref name="Source"/> (<c>{{- range }}</c>).</summary>
internal sealed record ItemsRange(string Source, Node Item) : Node;

/// <summary>An entry of a <see cref="Mapping"/>.</summary>
internal abstract record Entry
{
    /// <summary>A field; a null value leaves it out.</summary>
    public static implicit operator Entry((string Key, Node? Value) field) => new Field(field.Key, field.Value);
}

internal sealed record Field(string Key, Node? Value) : Entry;

/// <summary>Entries present only when <paramref name="Condition"/> holds (<c>{{- if }}</c> … <c>{{- end }}</c>).</summary>
internal sealed record EntriesIf(string Condition, IReadOnlyList<Entry> Entries) : Entry;

/// <summary><c>key: toYaml(source)</c>, present only when <paramref name="Source"/> is not empty (<c>{{- with }}</c>).</summary>
internal sealed record FieldWith(string Source, string Key) : Entry;
