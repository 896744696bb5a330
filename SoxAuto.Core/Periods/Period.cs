using System.Globalization;
using System.Text.RegularExpressions;

namespace SoxAuto.Core.Periods;

public enum PeriodKind { Month, Quarter, Year, Cutoff }

/// <summary>
/// A reporting period. Decided once for the whole product: <see cref="Start"/> is the first day,
/// <see cref="End"/> the cutoff (inclusive, the last day), <see cref="NextStart"/> the exclusive bound.
/// Text forms: <c>2025-09</c> (month), <c>2025-Q3</c> (quarter), <c>2025</c> (year),
/// <c>2025-09-15</c> (a custom cutoff: the period runs from the first of that month to that day).
/// </summary>
public sealed partial record Period(PeriodKind Kind, DateOnly Start, DateOnly End)
{
    public DateOnly NextStart => End.AddDays(1);

    /// <summary>The canonical text, also used in file names.</summary>
    public string Text => Kind switch
    {
        PeriodKind.Month => Start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        PeriodKind.Quarter => $"{Start.Year}-Q{(Start.Month - 1) / 3 + 1}",
        PeriodKind.Year => Start.Year.ToString(CultureInfo.InvariantCulture),
        _ => End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public string Describe() =>
        $"{Text}: from {Iso(Start)} to the cutoff {Iso(End)} inclusive (next period starts {Iso(NextStart)})";

    public override string ToString() => Text;

    public static Period Month(int year, int month) =>
        new(PeriodKind.Month, new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1));

    /// <summary>Parses a period and refuses one that has not ended before <paramref name="today"/>:
    /// evidence is produced for closed periods only.</summary>
    public static bool TryParse(string? text, DateOnly today, out Period period, out string error)
    {
        period = null!;
        error = "";
        var s = (text ?? "").Trim();
        var m = Pattern().Match(s);
        if (!m.Success)
        {
            error = $"'{text}' is not a period. Use a month (2025-09), a quarter (2025-Q3), a year (2025) or a cutoff date (2025-09-15).";
            return false;
        }
        int year = int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture);
        if (year < 2000)
        {
            error = $"'{text}': the year must be 2000 or later.";
            return false;
        }
        if (m.Groups["q"].Success)
        {
            int q = int.Parse(m.Groups["q"].Value, CultureInfo.InvariantCulture);
            if (q is < 1 or > 4) { error = $"'{text}': a quarter is Q1 to Q4."; return false; }
            var start = new DateOnly(year, q * 3 - 2, 1);
            period = new Period(PeriodKind.Quarter, start, start.AddMonths(3).AddDays(-1));
        }
        else if (m.Groups["m"].Success)
        {
            int month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12) { error = $"'{text}': the month must be 01 to 12."; return false; }
            if (m.Groups["d"].Success)
            {
                if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var cutoff))
                {
                    error = $"'{text}' is not a valid date.";
                    return false;
                }
                period = new Period(PeriodKind.Cutoff, new DateOnly(year, month, 1), cutoff);
            }
            else
            {
                period = Month(year, month);
            }
        }
        else
        {
            period = new Period(PeriodKind.Year, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }

        if (period.End >= today)
        {
            error = $"The period {period.Text} has not ended yet (its cutoff is {Iso(period.End)}); evidence can only be produced for a closed period.";
            period = null!;
            return false;
        }
        return true;
    }

    public static Period Parse(string text, DateOnly today) =>
        TryParse(text, today, out var p, out var error) ? p : throw new FormatException(error);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<y>\d{4})(?:-(?:[Qq](?<q>\d)|(?<m>\d{2})(?:-(?<d>\d{2}))?))?$")]
    private static partial Regex Pattern();
}
