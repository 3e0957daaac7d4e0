using System.Text.Json;

namespace Phase4.Publisher.Manifest;

/// <summary>Parses Aspire's JSON manifest (the <c>--publisher manifest</c> output) into <see cref="ManifestResource"/>s.</summary>
internal static class ManifestReader
{
    /// <summary>Reads <paramref name="manifestPath"/>; relative paths in it are resolved against its folder.</summary>
    public static IReadOnlyList<ManifestResource> Read(string manifestPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
        return document.RootElement.GetProperty("resources").EnumerateObject()
            .Select(resource => ReadResource(resource.Name, resource.Value, folder))
            .ToList();
    }

    private static ManifestResource ReadResource(string name, JsonElement json, string folder)
    {
        var build = json.TryGetProperty("build", out var buildJson)
            ? new ManifestBuild(
                Absolute(folder, buildJson.GetProperty("context").GetString()!),
                Absolute(folder, buildJson.GetProperty("dockerfile").GetString()!))
            : null;

        return new ManifestResource(
            name,
            json.GetProperty("type").GetString()!,
            String(json, "image"),
            build,
            String(json, "path") is { } path ? Absolute(folder, path) : null,
            String(json, "workingDirectory") is { } directory ? Absolute(folder, directory) : null,
            String(json, "connectionString"),
            String(json, "value"),
            String(json, "filter"),
            json.TryGetProperty("env", out var env)
                ? env.EnumerateObject().ToDictionary(variable => variable.Name, variable => variable.Value.GetString() ?? "")
                : new Dictionary<string, string>(),
            json.TryGetProperty("bindings", out var bindings)
                ? bindings.EnumerateObject().ToDictionary(binding => binding.Name, binding => ReadBinding(binding.Value))
                : new Dictionary<string, ManifestBinding>(),
            json.TryGetProperty("volumes", out var volumes)
                ? volumes.EnumerateArray().Select(ReadVolume).ToList()
                : [],
            json.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty("value", out var input)
                ? ReadInput(input)
                : null)
        {
            Args = json.TryGetProperty("args", out var args) ? args.EnumerateArray().Select(arg => arg.GetString() ?? "").ToList() : [],
            Entrypoint = String(json, "entrypoint"),
            Kind = String(json, "x-phase4-kind"),
            Probes = json.TryGetProperty("x-phase4-probes", out var probes)
                ? probes.EnumerateArray().Select(probe => new ManifestProbe(
                    probe.GetProperty("type").GetString()!, probe.GetProperty("endpoint").GetString()!, probe.GetProperty("path").GetString()!)).ToList()
                : [],
        };
    }

    private static ManifestBinding ReadBinding(JsonElement json) => new(
        String(json, "scheme") ?? "tcp",
        Int(json, "targetPort"),
        Int(json, "port"),
        json.TryGetProperty("external", out var external) && external.GetBoolean());

    private static ManifestVolume ReadVolume(JsonElement json) => new(
        json.GetProperty("name").GetString()!,
        json.GetProperty("target").GetString()!,
        json.TryGetProperty("readOnly", out var readOnly) && readOnly.GetBoolean());

    private static ManifestInput ReadInput(JsonElement json)
    {
        var secret = json.TryGetProperty("secret", out var secretJson) && secretJson.GetBoolean();
        string? defaultValue = null;
        int? minLength = null;
        string? kind = null, from = null;
        if (json.TryGetProperty("default", out var defaults))
        {
            defaultValue = String(defaults, "value");
            if (defaults.TryGetProperty("generate", out var generate))
            {
                minLength = Int(generate, "minLength") ?? 0;
            }

            if (defaults.TryGetProperty("x-phase4-generate", out var generated))
            {
                kind = String(generated, "kind");
                from = String(generated, "of");
            }
        }

        return new ManifestInput(secret, defaultValue, minLength, kind, from);
    }

    private static string Absolute(string folder, string path) => Path.GetFullPath(Path.Combine(folder, path));

    private static string? String(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
