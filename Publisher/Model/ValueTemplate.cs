using System.Text;

namespace Phase4.Publisher.Model;

/// <summary>A setting's value: literal text with deployment inputs (secrets) spliced in.</summary>
internal sealed record ValueTemplate(IReadOnlyList<ValuePart> Parts)
{
    public static ValueTemplate Literal(string text) => new([new LiteralPart(text)]);

    public bool IsSecret => Parts.Any(part => part is InputPart { Input.Secret: true });

    public IEnumerable<DeploymentInput> Inputs => Parts.OfType<InputPart>().Select(part => part.Input);

    /// <summary>
    /// The value with each input written by <paramref name="input"/> (e.g. <c>${NAME}</c> for Compose) and literal text
    /// passed through <paramref name="literal"/> (escaping for the target's syntax) when given.
    /// </summary>
    public string Render(Func<DeploymentInput, string> input, Func<string, string>? literal = null)
    {
        var rendered = new StringBuilder();
        foreach (var part in Parts)
        {
            rendered.Append(part switch
            {
                LiteralPart text => literal is null ? text.Text : literal(text.Text),
                InputPart reference => input(reference.Input),
                _ => throw new InvalidOperationException($"Unknown value part {part}."),
            });
        }

        return rendered.ToString();
    }

    /// <summary>Joins adjacent literals so equal values compare equal however they were assembled.</summary>
    public static ValueTemplate Concat(IEnumerable<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart { Text.Length: 0 })
            {
                continue;
            }

            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
            {
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            }
            else
            {
                merged.Add(part);
            }
        }

        return new ValueTemplate(merged);
    }
}

internal abstract record ValuePart;

internal sealed record LiteralPart(string Text) : ValuePart;

internal sealed record InputPart(DeploymentInput Input) : ValuePart;
