using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Secrets;

/// <summary>The keys and values one workload's Secret holds now, and where they were read (named in refusals).</summary>
internal sealed record StoredSecret(string Source, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// What <c>apply</c> adds to each workload's Secret: the inputs' values are recovered from what the Secrets hold (a
/// password inside a connection string, say), the missing ones created (<see cref="Created"/>), and a key a Secret holds
/// is never changed. <see cref="Values"/> is every workload's Secret as it is to be: what it held, plus the additions.
/// </summary>
internal sealed record SecretPlan(
    IReadOnlyList<SecretAddition> Additions,
    IReadOnlyList<DeploymentInput> Created,
    IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> Values)
{
    public bool IsEmpty => Additions.Count == 0;

    /// <summary>Nothing to add, no Secret to render (the External Secrets Operator fills the Secrets).</summary>
    public static SecretPlan Nothing { get; } = new([], [], new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>());

    /// <summary>The plan for <paramref name="app"/> over <paramref name="stored"/> (by workload name; a missing one is new).</summary>
    public static SecretPlan For(KubernetesApp app, IReadOnlyDictionary<string, StoredSecret> stored, Func<string, string?> environment)
    {
        var known = Known(app, stored);
        var created = InputValues.CreateMissing(app.Inputs, known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal), environment);
        foreach (var input in app.Inputs.Where(input => input.Generator is PublicKeyOfGenerator && known.ContainsKey(input.VariableName)))
        {
            var privateKey = app.Inputs.FirstOrDefault(other => other.ParameterName == ((PublicKeyOfGenerator)input.Generator).PrivateKeyParameter);
            if (privateKey is not null && created.ContainsKey(privateKey.VariableName))
            {
                // A new private key would not match the public key already handed out, and that key must not change.
                throw new InvalidOperationException(
                    $"{known[input.VariableName].Source} holds {input.ParameterName}, but no Secret holds {privateKey.ParameterName} any more: " +
                    "import the backup that holds it (`secrets import`), or delete the public key's Secret too so that both are made anew.");
            }
        }

        var values = known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal);
        foreach (var (name, value) in created)
        {
            values[name] = value;
        }

        return Completing(app, stored, values, app.Inputs.Where(input => created.ContainsKey(input.VariableName)).ToList());
    }

    /// <summary>
    /// The keys each Secret lacks that <paramref name="values"/> (inputs by variable name) can fill; keys whose inputs
    /// have no value are left out, and a key a Secret holds keeps its value.
    /// </summary>
    public static SecretPlan Completing(KubernetesApp app, IReadOnlyDictionary<string, StoredSecret> stored, IReadOnlyDictionary<string, string> values, IReadOnlyList<DeploymentInput> created)
    {
        var additions = new List<SecretAddition>();
        var all = new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            var held = stored.TryGetValue(workload.Name, out var secret) ? secret.Values : new Dictionary<string, string>();
            var lines = workload.SecretSettings
                .Where(setting => !held.ContainsKey(setting.Name) && setting.Value.Inputs.All(input => values.ContainsKey(input.VariableName)))
                .Select(setting => KeyValuePair.Create(setting.Name, setting.Value.Render(input => values[input.VariableName])))
                .ToList();
            if (lines.Count > 0)
            {
                additions.Add(new SecretAddition(workload, held.Count == 0, lines));
            }

            all[workload.Name] = [.. held, .. lines];
        }

        return new SecretPlan(additions, created, all);
    }

    /// <summary>
    /// The inputs' values the Secrets hold, each with the Secret and key it was read from. Two Secrets holding different
    /// values of one input are refused, naming both.
    /// </summary>
    public static Dictionary<string, (string Value, string Source)> Known(KubernetesApp app, IReadOnlyDictionary<string, StoredSecret> stored)
    {
        var known = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0 && stored.ContainsKey(w.Name)))
        {
            var secret = stored[workload.Name];
            foreach (var setting in workload.SecretSettings)
            {
                if (!secret.Values.TryGetValue(setting.Name, out var value))
                {
                    continue;
                }

                foreach (var (input, recovered) in Recover(setting.Value, value))
                {
                    var source = $"{secret.Source} {setting.Name}";
                    if (known.TryGetValue(input.VariableName, out var earlier) && earlier.Value != recovered)
                    {
                        throw new InvalidOperationException(
                            $"{earlier.Source} and {source} hold different values of {input.ParameterName}: make them agree before applying.");
                    }

                    known[input.VariableName] = (recovered, source);
                }
            }
        }

        return known;
    }

    /// <summary>
    /// The inputs' values in <paramref name="stored"/>, a rendering of <paramref name="template"/>: literals and service
    /// names must match as they are, each input is what stands between them. Nothing when the stored value does not
    /// have the template's shape (an operator's own value): nothing is recovered from it, and nothing overwrites it.
    /// </summary>
    public static IEnumerable<(DeploymentInput Input, string Value)> Recover(ValueTemplate template, string stored)
    {
        var groups = new Dictionary<string, DeploymentInput>(StringComparer.Ordinal);
        var pattern = new StringBuilder("^");
        foreach (var part in template.Parts)
        {
            switch (part)
            {
                case InputPart input:
                    var group = "i" + groups.Count.ToString(CultureInfo.InvariantCulture);
                    var same = groups.FirstOrDefault(entry => entry.Value == input.Input).Key;
                    if (same is null)
                    {
                        groups[group] = input.Input;
                        pattern.Append(CultureInfo.InvariantCulture, $"(?<{group}>.*?)");
                    }
                    else
                    {
                        pattern.Append(CultureInfo.InvariantCulture, $@"\k<{same}>");
                    }

                    break;
                case LiteralPart literal:
                    pattern.Append(Regex.Escape(literal.Text));
                    break;
                case ServicePart service:
                    pattern.Append(Regex.Escape(service.Workload));
                    break;
            }
        }

        var match = Regex.Match(stored, pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return match.Success ? groups.Select(entry => (entry.Value, match.Groups[entry.Key].Value)).ToList() : [];
    }
}

/// <summary>Keys to add to one workload's Secret; <see cref="IsNew"/> when the cluster holds none for it yet.</summary>
internal sealed record SecretAddition(KubernetesWorkload Workload, bool IsNew, IReadOnlyList<KeyValuePair<string, string>> Lines);
