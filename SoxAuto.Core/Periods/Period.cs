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

    /// <summary>The period before this one, of the same kind: the prior month, quarter or year (what a
    /// roll-forward compares with); null for a custom cutoff, whose prior period is not defined.</summary>
    public Period? Prior => Kind switch
    {
        PeriodKind.Month => Month(Start.AddMonths(-1).Year, Start.AddMonths(-1).Month),
        PeriodKind.Quarter => new(PeriodKind.Quarter, Start.AddMonths(-3), Start.AddDays(-1)),
        PeriodKind.Year => new(PeriodKind.Year, Start.AddYears(-1), Start.AddDays(-1)),
        _ => null,
    };

    public static Period Month(int year, int month) =>
        new(PeriodKind.Month, new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1));

    /// <summary>The earliest year a period may be in; the latest is next year (<see cref="TryParse"/>).</summary>
    public const int FirstYear = 2000;

    /// <summary>Parses a period and refuses one that has not ended before <paramref name="today"/>:
    /// evidence is produced for closed periods only. Never throws: every refusal is a sentence in
    /// <paramref name="error"/>. Digits are ASCII only, and the year lies between <see cref="FirstYear"/>
    /// and next year (a later one cannot have ended, and 9999 would overflow the calendar).</summary>
    public static bool TryParse(string? text, DateOnly today, out Period period, out string error)
    {
        period = null!;
        error = "";
        var s = (text ?? "").Trim();
        if (s.Length == 0)
        {
            error = $"No period given. {Forms}";
            return false;
        }
        var m = Pattern().Match(s);
        if (!m.Success)
        {
            error = $"{UserText.Quote(s)} is not a period. {Forms}";
            return false;
        }
        int year = Number(m.Groups["y"]);
        int lastYear = today.Year + 1;
        if (year < FirstYear || year > lastYear)
        {
            error = $"{UserText.Quote(s)}: the year must be {FirstYear} to {lastYear}.";
            return false;
        }
        if (m.Groups["q"].Success)
        {
            int q = Number(m.Groups["q"]);
            if (q is < 1 or > 4) { error = $"{UserText.Quote(s)}: a quarter is Q1 to Q4."; return false; }
            var start = new DateOnly(year, q * 3 - 2, 1);
            period = new Period(PeriodKind.Quarter, start, start.AddMonths(3).AddDays(-1));
        }
        else if (m.Groups["m"].Success)
        {
            int month = Number(m.Groups["m"]);
            if (month is < 1 or > 12) { error = $"{UserText.Quote(s)}: the month must be 01 to 12."; return false; }
            if (m.Groups["d"].Success)
            {
                if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var cutoff))
                {
                    error = $"{UserText.Quote(s)} is not a valid date.";
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

    private const string Forms = "Use a month (2025-09), a quarter (2025-Q3), a year (2025) or a cutoff date (2025-09-15).";

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static int Number(Group g) => int.Parse(g.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    // [0-9], not \d: \d also matches full-width and Arabic-Indic digits, which int.Parse refuses.
    [GeneratedRegex(@"^(?<y>[0-9]{4})(?:-(?:[Qq](?<q>[0-9])|(?<m>[0-9]{2})(?:-(?<d>[0-9]{2}))?))?\z")]
    private static partial Regex Pattern();
}
