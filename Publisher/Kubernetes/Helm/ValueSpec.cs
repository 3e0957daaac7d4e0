using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Phase4.Publisher.Yaml;
using Phase4.Publisher.Kubernetes.Manifest;

namespace Phase4.Publisher.Kubernetes.Helm;

/// <summary>
/// One chart value: its default (written to <c>values.yaml</c> with its description as a comment) and its type (written
/// to <c>values.schema.json</c>, so Helm refuses a wrong type or a misspelt key at install time).
/// </summary>
internal abstract record ValueSpec(string Description)
{
    public abstract JsonObject Schema();

    /// <summary>The value's YAML after <c>key:</c>: on the same line (a scalar) or as indented lines.</summary>
    public abstract void WriteValue(StringBuilder text, int indent);

    protected JsonObject Described(JsonObject schema)
    {
        schema["description"] = Description;
        return schema;
    }
}

internal sealed record StringValue(string Default, string Description, IReadOnlyList<string>? Allowed = null) : ValueSpec(Description)
{
    public override JsonObject Schema()
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (Allowed is not null)
        {
            schema["enum"] = new JsonArray(Allowed.Select(value => (JsonNode?)JsonValue.Create(value)).ToArray());
        }

        return Described(schema);
    }

    public override void WriteValue(StringBuilder text, int indent) => text.Append(' ').Append(YamlScalar(Default)).Append('\n');

    public static string YamlScalar(string value) => YamlText.Write(new YamlDotNet.RepresentationModel.YamlMappingNode { { "v", YamlText.Scalar(value) } }, [])[3..].TrimEnd('\n');
}

internal sealed record IntegerValue(int Default, string Description, int Minimum, int? Maximum = null) : ValueSpec(Description)
{
    public override JsonObject Schema()
    {
        var schema = new JsonObject { ["type"] = "integer", ["minimum"] = Minimum };
        if (Maximum is { } maximum)
        {
            schema["maximum"] = maximum;
        }

        return Described(schema);
    }

    public override void WriteValue(StringBuilder text, int indent) =>
        text.Append(' ').Append(Default.ToString(CultureInfo.InvariantCulture)).Append('\n');
}

internal sealed record BooleanValue(bool Default, string Description) : ValueSpec(Description)
{
    public override JsonObject Schema() => Described(new JsonObject { ["type"] = "boolean" });

    public override void WriteValue(StringBuilder text, int indent) => text.Append(Default ? " true\n" : " false\n");
}

/// <summary>A list of strings (topology keys, say).</summary>
internal sealed record StringListValue(IReadOnlyList<string> Default, string Description) : ValueSpec(Description)
{
    public override JsonObject Schema() => Described(new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } });

    public override void WriteValue(StringBuilder text, int indent)
    {
        if (Default.Count == 0)
        {
            text.Append(" []\n");
            return;
        }

        text.Append('\n');
        foreach (var item in Default)
        {
            text.Append(' ', indent).Append("- ").Append(StringValue.YamlScalar(item)).Append('\n');
        }
    }
}

/// <summary>A value whose shape is Kubernetes' own (resources, pull secrets): its type only is checked.</summary>
internal sealed record KubernetesValue(Node Default, string Type, string Description) : ValueSpec(Description)
{
    public override JsonObject Schema() => Described(new JsonObject { ["type"] = Type });

    public override void WriteValue(StringBuilder text, int indent)
    {
        if (Default is Sequence { Items.Count: 0 } or Mapping { Count: 0 })
        {
            text.Append(Default is Sequence ? " []\n" : " {}\n");
            return;
        }

        text.Append('\n');
        var lines = ManifestWriter.Write(Nodes.Map(("v", Default)), []).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        // Re-indent the nested document (however the emitter indented it under `v:`) under the key.
        var nested = lines.Min(line => line.Length - line.TrimStart().Length);
        foreach (var line in lines)
        {
            text.Append(' ', indent).Append(line[nested..]).Append('\n');
        }
    }
}

/// <summary>A mapping of named values; no other key is accepted.</summary>
internal sealed record ObjectValue(IReadOnlyList<(string Key, ValueSpec Value)> Properties, string Description) : ValueSpec(Description)
{
    public override JsonObject Schema()
    {
        var properties = new JsonObject();
        foreach (var (key, value) in Properties)
        {
            properties[key] = value.Schema();
        }

        return Described(new JsonObject { ["type"] = "object", ["additionalProperties"] = false, ["properties"] = properties });
    }

    public override void WriteValue(StringBuilder text, int indent)
    {
        if (Properties.Count == 0)
        {
            text.Append(" {}\n");
            return;
        }

        text.Append('\n');
        WriteProperties(text, indent);
    }

    public void WriteProperties(StringBuilder text, int indent)
    {
        foreach (var (key, value) in Properties)
        {
            foreach (var line in value.Description.Split('\n'))
            {
                text.Append(' ', indent).Append("# ").Append(line).Append('\n');
            }

            text.Append(' ', indent).Append(key).Append(':');
            value.WriteValue(text, indent + 2);
        }
    }
}
