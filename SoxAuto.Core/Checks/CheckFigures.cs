using System.Globalization;

namespace SoxAuto.Core.Checks;

/// <summary>How the checks write the figures they report.</summary>
internal static class CheckFigures
{
    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
