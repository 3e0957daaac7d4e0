using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Phase4.Tests.Hostile;

/// <summary>One line of corpus.jsonl (see generate-corpus.py for the fields and what each expectation means).</summary>
public sealed partial record HostileCase(
    string Name, string Target, string Method, string Path, string Token, string Expect,
    string? Body, string? BodyBase64, string? ContentType)
{
    public const string Refused = "refused";
    public const string Verbatim = "verbatim";
    public const string Accepted = "accepted";
    public const string Survives = "survives";
    public const string TooLarge = "too_large";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static IReadOnlyList<HostileCase> Load()
    {
        var file = System.IO.Path.Combine(AppContext.BaseDirectory, "Hostile", "corpus.jsonl");
        return File.ReadLines(file).Where(line => line.Length > 0)
            .Select(line => JsonSerializer.Deserialize<HostileCase>(line, Json)!).ToList();
    }

    /// <summary>The body's bytes with the placeholders and repeat macros expanded, or null for no body.</summary>
    public byte[]? BodyBytes(Func<string, string> expand) =>
        BodyBase64 is not null ? Convert.FromBase64String(BodyBase64)
        : Body is null ? null
        : Encoding.UTF8.GetBytes(Repeat().Replace(expand(Body), m => string.Concat(Enumerable.Repeat(m.Groups["text"].Value, int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)))));

    [GeneratedRegex("⟦repeat:(?<count>[0-9]+):(?<text>[^⟧]*)⟧", RegexOptions.CultureInvariant)]
    private static partial Regex Repeat();
}
