using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Phase4.Domain.Tasks;

namespace Phase4.Backend.Http;

/// <summary>
/// <c>limit</c> and <c>offset</c> of a list request. Bound as text and parsed here, so a value that is not a whole
/// number is a 400 naming its parameter: the generated request delegates answer a failed numeric binding with a bare
/// 400 that names nothing.
/// </summary>
internal static class PageQuery
{
    public static bool TryRead(string? limit, string? offset, out int pageLimit, out int pageOffset, [NotNullWhen(false)] out IResult? problem)
    {
        pageOffset = 0;
        if (!TryParse(limit, TaskRules.DefaultPageSize, out pageLimit))
        {
            problem = ApiProblems.Invalid("limit", $"limit must be a whole number between 1 and {TaskRules.MaxPageSize}.");
            return false;
        }

        if (!TryParse(offset, 0, out pageOffset))
        {
            problem = ApiProblems.Invalid("offset", "offset must be a whole number, 0 or more.");
            return false;
        }

        if (TaskRules.ValidatePage(pageLimit, pageOffset, out var field) is { } error)
        {
            problem = ApiProblems.Invalid(field!, error);
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Absent or empty means the default, as it did for a bound <c>int?</c>.</summary>
    private static bool TryParse(string? value, int absent, out int parsed)
    {
        if (string.IsNullOrEmpty(value))
        {
            parsed = absent;
            return true;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out parsed);
    }
}
