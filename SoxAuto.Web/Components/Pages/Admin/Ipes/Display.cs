using System.Globalization;

namespace SoxAuto.Web.Components.Pages.Admin.Ipes;

internal static class Display
{
    public static string When(DateTimeOffset? t) =>
        t is null ? "" : t.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
