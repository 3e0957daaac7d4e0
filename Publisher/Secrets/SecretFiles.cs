using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// The git-ignored <c>&lt;name&gt;/.&lt;name&gt;.secrets</c> env files the base's secretGenerators read: each workload's
/// settings that hold a deployment input, rendered with the inputs' values. Env files hold one line per key, so line
/// breaks (PEM keys) are written as <c>\n</c>, which <c>JwtKeys</c> reads back. Files grow: a key the output needs
/// and a file lacks is added, an existing line is never changed (<see cref="Plan"/>).
/// </summary>
internal static class SecretFiles
{
    /// <summary>The files' paths relative to the output folder.</summary>
    public static IEnumerable<string> Paths(KubernetesApp app) =>
        app.Workloads.Where(w => w.SecretSettings.Count > 0).Select(w => $"{w.Name}/{w.SecretsFileName}");

    /// <summary>
    /// What the secret files under <paramref name="outputFolder"/> lack for <paramref name="app"/>: the lines to add to
    /// each, with the inputs' values recovered from the lines already there (a password inside a connection string,
    /// say) and the others created now (<see cref="SecretFilesPlan.Created"/>).
    /// </summary>
    public static SecretFilesPlan Plan(KubernetesApp app, string outputFolder, Func<string, string?> environment)
    {
        var existing = app.Workloads.Where(w => w.SecretSettings.Count > 0)
            .ToDictionary(w => w.Name, w => Read(Path.Combine(outputFolder, w.Name, w.SecretsFileName)), StringComparer.Ordinal);
        var known = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            foreach (var setting in workload.SecretSettings)
            {
                if (!existing[workload.Name].TryGetValue(setting.Name, out var stored))
                {
                    continue;
                }

                foreach (var (input, value) in Recover(setting.Value, stored))
                {
                    var source = $"{workload.Name}/{workload.SecretsFileName} {setting.Name}";
                    if (known.TryGetValue(input.VariableName, out var earlier) && earlier.Value != value)
                    {
                        throw new InvalidOperationException(
                            $"{earlier.Source} and {source} hold different values of {input.ParameterName}: make them agree before applying.");
                    }

                    known[input.VariableName] = (value, source);
                }
            }
        }

        var created = InputValues.CreateMissing(app.Inputs, known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal), environment);
        foreach (var input in app.Inputs.Where(input => input.Generator is PublicKeyOfGenerator && known.ContainsKey(input.VariableName)))
        {
            var privateKey = app.Inputs.FirstOrDefault(other => other.ParameterName == ((PublicKeyOfGenerator)input.Generator).PrivateKeyParameter);
            if (privateKey is not null && created.ContainsKey(privateKey.VariableName))
            {
                // A new private key would not match the public key already handed out, and that line must not change.
                throw new InvalidOperationException(
                    $"{known[input.VariableName].Source} holds {input.ParameterName}, but no file holds {privateKey.ParameterName} any more: " +
                    "restore the file that held it, or delete the public key's file too so that both are made anew.");
            }
        }

        var values = known.ToDictionary(entry => entry.Key, entry => entry.Value.Value, StringComparer.Ordinal);
        foreach (var (name, value) in created)
        {
            values[name] = value;
        }

        var additions = new List<SecretFileAddition>();
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            var lines = Settings(workload, values).Where(setting => !existing[workload.Name].ContainsKey(setting.Key)).ToList();
            if (lines.Count > 0)
            {
                additions.Add(new SecretFileAddition($"{workload.Name}/{workload.SecretsFileName}", existing[workload.Name].Count == 0, lines));
            }
        }

        return new SecretFilesPlan(additions, app.Inputs.Where(input => created.ContainsKey(input.VariableName)).ToList());
    }

    /// <summary>Adds the planned lines: new files are created owner-only, changed ones replaced whole by a rename.</summary>
    public static IReadOnlyList<string> Write(SecretFilesPlan plan, string outputFolder)
    {
        var written = new List<string>();
        foreach (var addition in plan.Additions)
        {
            var path = Path.Combine(outputFolder, addition.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = new StringBuilder(File.Exists(path) ? File.ReadAllText(path) : "");
            if (text.Length > 0 && text[^1] != '\n')
            {
                text.Append('\n');
            }

            foreach (var (key, value) in addition.Lines)
            {
                text.Append(key).Append('=').Append(Escape(value)).Append('\n');
            }

            WriteOwnerOnly(path, text.ToString());
            written.Add(path);
        }

        return written;
    }

    /// <summary>Every file written whole with <paramref name="values"/> (a scratch copy of the output, in tests).</summary>
    public static IReadOnlyList<string> Write(KubernetesApp app, string outputFolder, IReadOnlyDictionary<string, string> values) =>
        Write(new SecretFilesPlan(
            app.Workloads.Where(w => w.SecretSettings.Count > 0)
                .Select(w => new SecretFileAddition($"{w.Name}/{w.SecretsFileName}", true, Settings(w, values).ToList()))
                .ToList(),
            []), outputFolder);

    /// <summary>The workload's secret settings rendered with the inputs' values (e.g. for a Helm values file).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(KubernetesWorkload workload, IReadOnlyDictionary<string, string> values) =>
        workload.SecretSettings.Select(setting => KeyValuePair.Create(setting.Name, setting.Value.Render(input => Value(values, input))));

    /// <summary>The keys and values of an env file (empty when it does not exist), <c>\n</c> read back as line breaks.</summary>
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.Exists(path) ? File.ReadAllLines(path) : [])
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (separator > 0 && !line.StartsWith('#'))
            {
                values[line[..separator]] = line[(separator + 1)..].Replace("\\n", "\n", StringComparison.Ordinal);
            }
        }

        return values;
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

    /// <summary>Options of a file created with mode 0600 (a dump, manifests holding Secrets), whatever the umask.</summary>
    public static FileStreamOptions OwnerOnly(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    private static string Escape(string value) =>
        value.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>
    /// Writes <paramref name="text"/> to a new file created with mode 0600 (so no other user can read it at any moment,
    /// whatever the umask), then renames it over <paramref name="path"/>: readers see the old file or the new one.
    /// </summary>
    public static void WriteOwnerOnly(string path, string text)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = OwnerOnly(FileMode.CreateNew);

        try
        {
            using (var stream = new FileStream(temporary, options))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(text);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string Value(IReadOnlyDictionary<string, string> values, DeploymentInput input) =>
        values.TryGetValue(input.VariableName, out var value)
            ? value
            : throw new InvalidOperationException($"No value for {input.ParameterName} ({input.VariableName}).");
}

/// <summary>Lines to add to one secret file (relative to the output folder); <see cref="IsNew"/> when it does not exist yet.</summary>
internal sealed record SecretFileAddition(string RelativePath, bool IsNew, IReadOnlyList<KeyValuePair<string, string>> Lines);

/// <summary>What <c>apply</c> adds to the secret files, and which inputs it creates to do so (the others were recovered).</summary>
internal sealed record SecretFilesPlan(IReadOnlyList<SecretFileAddition> Additions, IReadOnlyList<DeploymentInput> Created)
{
    public bool IsEmpty => Additions.Count == 0;
}
