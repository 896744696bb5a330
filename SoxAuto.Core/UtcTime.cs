using System.Globalization;

namespace SoxAuto.Core;

/// <summary>How SoxAuto shows a moment to people, on pages and in evidence alike: in UTC, to the second,
/// e.g. <c>2025-10-02 14:05:09 UTC</c> (empty for none).</summary>
public static class UtcTime
{
    public static string Text(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "";
}
