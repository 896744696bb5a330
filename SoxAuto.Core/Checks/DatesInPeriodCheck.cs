using System.Globalization;
using System.Text;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Core.Checks;

/// <summary>Integrity: every value of the IPE's date column lies inside the period
/// (<see cref="DateBound.WithinPeriod"/>) or on or before its cutoff (<see cref="DateBound.UpToCutoff"/>).
/// A timestamp counts by its calendar date. A NULL or unreadable date is not inside the period: it is
/// counted, reported and fails the check.</summary>
public sealed class DatesInPeriodCheck
{
    private readonly CheckSettings _settings;
    private readonly DateOnly _start, _end;
    private readonly int _index;
    private long _rows, _nulls, _outside, _unreadable;
    private DateOnly? _min, _max;
    private string? _firstProblem;

    public DatesInPeriodCheck(CheckSettings settings, DateOnly periodStart, DateOnly periodEnd, IReadOnlyList<string> header)
    {
        _settings = settings;
        _start = periodStart;
        _end = periodEnd;
        _index = settings.DateColumn is null ? -1 : RequiredColumnsCheck.IndexOf(header, settings.DateColumn);
    }

    public string Name => _settings.DateColumn is null ? "Every date inside the period" : $"Every {_settings.DateColumn} inside the period";

    public void Observe(IExtractRow row)
    {
        if (_index < 0) return;
        _rows++;
        if (row.IsNull(_index))
        {
            _nulls++;
            _firstProblem ??= $"data row {Count(_rows)} has no date (NULL)";
            return;
        }
        var value = row.Value(_index);
        if (!AthenaValues.TryParseDay(value, out var date))
        {
            _unreadable++;
            _firstProblem ??= $"data row {Count(_rows)} holds \"{Shorten(Encoding.UTF8.GetString(value))}\", which is not a date";
            return;
        }
        if (_min is null || date < _min) _min = date;
        if (_max is null || date > _max) _max = date;
        var inside = date <= _end && (_settings.DateBound == DateBound.UpToCutoff || date >= _start);
        if (!inside)
        {
            _outside++;
            _firstProblem ??= $"data row {Count(_rows)} is dated {Day(date)}";
        }
    }

    public CheckOutcome Outcome()
    {
        if (_settings.DateColumn is not { } column)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no date column.");
        var expected = _settings.DateBound == DateBound.UpToCutoff
            ? $"{column} on or before {Day(_end)} (the cutoff)"
            : $"{column} from {Day(_start)} to {Day(_end)}, both inclusive";
        if (_index < 0)
            return new(Name, CheckStatus.Failed, expected, $"column {column} is missing from the result",
                "The date column is not in the query result, so its values cannot be checked.");
        var range = _min is null ? "no dates" : $"min {Day(_min.Value)}, max {Day(_max!.Value)}";
        var actual = $"{range}; {Count(_outside)} outside, {Count(_nulls)} NULL, {Count(_unreadable)} not a date";
        var passed = _outside == 0 && _nulls == 0 && _unreadable == 0;
        var detail = passed
            ? (_rows == 0 ? "The extract has no rows, so no date lies outside the period." : $"All {Count(_rows)} rows are dated inside the period.")
            : $"First problem: {_firstProblem}.";
        return new(Name, passed ? CheckStatus.Passed : CheckStatus.Failed, expected, actual, detail);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Count(long n) => WorkbookCompletenessCheck.Count(n);
    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
