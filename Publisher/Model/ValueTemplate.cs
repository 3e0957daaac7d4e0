using System.Text;

namespace Phase4.Publisher.Model;

/// <summary>
/// A setting's value: literal text with deployment inputs (secrets) and other workloads' service names spliced in.
/// Service names stay parts rather than text because a target may scope them (a Helm release prefixes them).
/// </summary>
internal sealed record ValueTemplate(IReadOnlyList<ValuePart> Parts)
{
    public static ValueTemplate Literal(string text) => new([new LiteralPart(text)]);

    public bool IsSecret => Parts.Any(part => part is InputPart { Input.Secret: true });

    public IEnumerable<DeploymentInput> Inputs => Parts.OfType<InputPart>().Select(part => part.Input);

    public IEnumerable<string> Services => Parts.OfType<ServicePart>().Select(part => part.Workload);

    /// <summary>
    /// The value with each input written by <paramref name="input"/> (e.g. <c>${NAME}</c> for Compose), literal text
    /// passed through <paramref name="literal"/> (escaping for the target's syntax) and service names through
    /// <paramref name="service"/> when given (by default a workload's service is its resource name).
    /// </summary>
    public string Render(Func<DeploymentInput, string> input, Func<string, string>? literal = null, Func<string, string>? service = null)
    {
        var rendered = new StringBuilder();
        foreach (var part in Parts)
        {
            rendered.Append(part switch
            {
                LiteralPart text => literal is null ? text.Text : literal(text.Text),
                InputPart reference => input(reference.Input),
                ServicePart host => service is null ? host.Workload : service(host.Workload),
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

/// <summary>The host name of another workload's service (its resource name in Compose and the Kustomize base).</summary>
internal sealed record ServicePart(string Workload) : ValuePart;
