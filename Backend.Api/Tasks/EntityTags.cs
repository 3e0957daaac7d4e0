using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Phase4.Backend.Tasks;

/// <summary>Strong ETags from a task's row version, and the <c>If-Match</c> precondition.</summary>
public static class EntityTags
{
    public static string Format(uint version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Parses <c>If-Match</c>. Weak or unparsable tags never match (RFC 9110 uses strong comparison).</summary>
    public static IfMatch ParseIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch;
        if (header.Count == 0)
        {
            return IfMatch.Absent;
        }

        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return new IfMatch(false, []);
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return IfMatch.Absent;
        }

        var versions = tags
            .Where(t => !t.IsWeak)
            .Select(t => uint.TryParse(t.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (uint?)null)
            .OfType<uint>()
            .ToArray();
        return new IfMatch(false, versions);
    }
}

/// <summary>
/// An <c>If-Match</c> condition: <see cref="IsAbsent"/> for no header or <c>*</c> (any current task matches);
/// otherwise the task must currently have one of <see cref="Versions"/> (none parsed means nothing can match).
/// </summary>
public sealed record IfMatch(bool IsAbsent, IReadOnlyList<uint> Versions)
{
    public static readonly IfMatch Absent = new(true, []);
}
