using Phase4.Publisher.Model;

namespace Phase4.Publisher.Kubernetes;

/// <summary>
/// The git-ignored <c>&lt;name&gt;/.&lt;name&gt;.secrets</c> env files the base's secretGenerators read: each workload's
/// settings that hold a deployment input, rendered with the inputs' values. Env files hold one line per key, so
/// line breaks (PEM keys) are written as <c>\n</c>, which <c>JwtKeys</c> reads back.
/// </summary>
internal static class SecretFiles
{
    /// <summary>The files' paths relative to the output folder.</summary>
    public static IEnumerable<string> Paths(KubernetesApp app) =>
        app.Workloads.Where(w => w.SecretSettings.Count > 0).Select(w => $"{w.Name}/{w.SecretsFileName}");

    public static IReadOnlyList<string> Write(KubernetesApp app, string outputFolder, IReadOnlyDictionary<string, string> values)
    {
        var written = new List<string>();
        foreach (var workload in app.Workloads.Where(w => w.SecretSettings.Count > 0))
        {
            var lines = Settings(workload, values).Select(setting =>
                setting.Key + "=" + setting.Value.Replace("\r", "", StringComparison.Ordinal).TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal));
            var path = Path.Combine(outputFolder, workload.Name, workload.SecretsFileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Join('\n', lines) + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            written.Add(path);
        }

        return written;
    }

    /// <summary>The workload's secret settings rendered with the inputs' values (e.g. for a Helm values file).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Settings(KubernetesWorkload workload, IReadOnlyDictionary<string, string> values) =>
        workload.SecretSettings.Select(setting => KeyValuePair.Create(setting.Name, setting.Value.Render(input => Value(values, input))));

    private static string Value(IReadOnlyDictionary<string, string> values, DeploymentInput input) =>
        values.TryGetValue(input.VariableName, out var value)
            ? value
            : throw new InvalidOperationException($"No value for {input.ParameterName} ({input.VariableName}).");
}
