using System.Text;
using Phase4.Publisher.Kubernetes;
using Phase4.Publisher.Model;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// The <c>&lt;name&gt;/.&lt;name&gt;.secrets</c> env files the base's secretGenerators read: each workload's settings
/// that hold a deployment input, rendered with the inputs' values. Env files hold one line per key, so line breaks (PEM
/// keys) are written as <c>\n</c>, which <c>JwtKeys</c> reads back. The values live in the cluster's Secrets; these
/// files exist only while <c>apply</c> renders (<see cref="TransientSecretFiles"/>). Also the owner-only file writing
/// that everything holding a secret uses.
/// </summary>
internal static class SecretFiles
{
    /// <summary>The files' paths relative to the output folder.</summary>
    public static IEnumerable<string> Paths(KubernetesApp app) =>
        app.Workloads.Where(w => w.SecretSettings.Count > 0).Select(w => $"{w.Name}/{w.SecretsFileName}");

    /// <summary>
    /// Writes each workload's env file whole, owner-only, from <paramref name="values"/> (inputs by variable name); the
    /// paths written. <c>apply</c> writes them only for the moment <c>kubectl kustomize</c> reads them
    /// (<see cref="TransientSecretFiles"/>); tests render a scratch copy of the output with them.
    /// </summary>
    public static IReadOnlyList<string> Write(KubernetesApp app, string outputFolder, IReadOnlyDictionary<string, string> values) =>
        Write(outputFolder, app.Workloads.Where(w => w.SecretSettings.Count > 0).ToDictionary(w => w.Name, w => (IReadOnlyList<KeyValuePair<string, string>>)Settings(w, values).ToList()));

    /// <summary>Writes each workload's env file (by workload name) whole, owner-only; the paths written.</summary>
    public static IReadOnlyList<string> Write(string outputFolder, IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> secrets)
    {
        var written = new List<string>();
        foreach (var (workload, lines) in secrets)
        {
            var path = Path.Combine(outputFolder, workload, FileName(workload));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var text = new StringBuilder();
            foreach (var (key, value) in lines)
            {
                text.Append(key).Append('=').Append(Escape(value)).Append('\n');
            }

            WriteOwnerOnly(path, text.ToString());
            written.Add(path);
        }

        return written;
    }

    /// <summary>The env file's name in the workload's folder, as the base's secretGenerator names it.</summary>
    public static string FileName(string workload) => $".{workload}.secrets";

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
