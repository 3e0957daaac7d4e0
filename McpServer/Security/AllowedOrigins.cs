namespace Phase4.Mcp.Security;

/// <summary>The parsed <see cref="McpOptions.AllowedOrigins"/>: origins compared as scheme://host[:port], case-insensitively.</summary>
public sealed class AllowedOrigins
{
    private readonly HashSet<string> _origins;

    private AllowedOrigins(HashSet<string> origins) => _origins = origins;

    public IReadOnlyCollection<string> Values => _origins;

    public bool Allows(string origin) => Normalize(origin) is { } normalized && _origins.Contains(normalized);

    /// <summary>Parses the comma-separated list; returns null and the offending entry when one is not an origin.</summary>
    public static AllowedOrigins? TryParse(string? list, out string? invalidEntry)
    {
        var origins = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in (list ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Normalize(entry) is not { } origin)
            {
                invalidEntry = entry;
                return null;
            }

            origins.Add(origin);
        }

        invalidEntry = null;
        return new AllowedOrigins(origins);
    }

    /// <summary>An http(s) origin as <c>scheme://host[:port]</c> in lower case; null for anything else ("null", paths, junk).</summary>
    private static string? Normalize(string value)
    {
        if (!Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
    }
}
