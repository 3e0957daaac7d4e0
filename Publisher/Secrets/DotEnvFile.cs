using System.Text;

namespace Phase4.Publisher.Secrets;

/// <summary>
/// The <c>.env</c> file Compose reads for <c>${NAME}</c> substitution. Multi-line values (PEM keys) are written
/// double-quoted with <c>\n</c> escapes, which Compose v1 (python-dotenv) and v2 both expand.
/// </summary>
internal static class DotEnvFile
{
    public const string FileName = ".env";

    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadAllLines(path))
        {
            var separator = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith('#') || separator <= 0)
            {
                continue;
            }

            var value = line[(separator + 1)..];
            values[line[..separator].Trim()] = value.Length >= 2 && value[0] == '"' && value[^1] == '"'
                ? value[1..^1].Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
                : value;
        }

        return values;
    }

    /// <summary>Appends <paramref name="values"/> (never rewriting what is there), creating the file owner-only.</summary>
    public static void Append(string path, IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder();
        if (!File.Exists(path))
        {
            text.Append("# Secrets for docker-compose.yaml, created once by `dotnet run --project Publisher -- secrets`.\n")
                .Append("# Never commit this file. Postgres keeps the password it was initialised with: changing it here\n")
                .Append("# later locks the services out of an existing volume.\n");
        }

        foreach (var (name, value) in values.OrderBy(entry => entry.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('=').Append(Quote(value)).Append('\n');
        }

        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(text.ToString());
    }

    private static string Quote(string value) =>
        value.IndexOfAny(['\n', '"', ' ', '#', '$', '\'']) < 0
            ? value
            : "\"" + value.TrimEnd('\n').Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
