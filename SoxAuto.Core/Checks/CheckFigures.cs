using System.Globalization;

namespace SoxAuto.Core.Checks;

/// <summary>How the checks write the figures they report.</summary>
internal static class CheckFigures
{
    /// <summary>At most this many differing groups, duplicate rows or outside values are named in a detail.</summary>
    public const int Listed = 10;

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Column names as a list for a sentence: <c>company_code, entry_no</c>.</summary>
    public static string Names(IEnumerable<string> names) => string.Join(", ", names);

    /// <summary>"and N more" after a bounded list, or nothing.</summary>
    public static string More(long total, int listed) => total > listed ? $"; and {Count(total - listed)} more" : "";

    /// <summary>A value as a person reads it: NULL spelled out, long text cut.</summary>
    public static string Shown(string? value) => value is null ? "NULL" : value.Length <= 60 ? value : value[..60] + "...";
}
