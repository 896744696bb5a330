using SoxAuto.Core.Catalog;
using SoxAuto.Core.Periods;

namespace SoxAuto.Core.Checks;

/// <summary>The checks a run of an IPE gets, in the order the evidence shows them (after the
/// workbook's own completeness check, which the evidence writer adds). A new check is a class that
/// implements <see cref="ICheck"/> and one line here.</summary>
public static class IpeChecks
{
    public static IReadOnlyList<ICheck> For(CheckSettings settings, Period period) =>
    [
        new RequiredColumnsCheck(settings.RequiredColumns),
        new DatesInPeriodCheck(settings, period),
    ];
}
