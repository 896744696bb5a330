using System.Text;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>Integrity: every value of the IPE's date column lies inside the period
/// (<see cref="DateBound.WithinPeriod"/>) or on or before its cutoff (<see cref="DateBound.UpToCutoff"/>).
/// A timestamp counts by its calendar date. A NULL or unreadable date is not inside the period: it is
/// counted, reported and fails the check.</summary>
public sealed class DatesInPeriodCheck(CheckSettings settings, Period period) : ICheck
{
    private int _index = -1;
    private long _rows, _nulls, _outside, _unreadable;
    private DateOnly? _min, _max;
    private string? _firstProblem;

    public string Name => settings.DateColumn is null ? "Every date inside the period" : $"Every {settings.DateColumn} inside the period";

    public void Begin(ExtractHeader header) => _index = settings.DateColumn is null ? -1 : header.IndexOf(settings.DateColumn);

    public void Row(IExtractRow row)
    {
        if (_index < 0) return;
        _rows++;
        if (row.IsNull(_index))
        {
            _nulls++;
            _firstProblem ??= $"data row {Count(_rows)} has no date (NULL)";
            return;
        }
        if (!row.TryDay(_index, out var date))
        {
            _unreadable++;
            _firstProblem ??= $"data row {Count(_rows)} holds \"{Shorten(Encoding.UTF8.GetString(row.Value(_index)))}\", which is not a date";
            return;
        }
        if (_min is null || date < _min) _min = date;
        if (_max is null || date > _max) _max = date;
        var inside = date <= period.End && (settings.DateBound == DateBound.UpToCutoff || date >= period.Start);
        if (!inside)
        {
            _outside++;
            _firstProblem ??= $"data row {Count(_rows)} is dated {Day(date)}";
        }
    }

    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(Outcome());

    private CheckOutcome Outcome()
    {
        if (settings.DateColumn is not { } column)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no date column.");
        var expected = settings.DateBound == DateBound.UpToCutoff
            ? $"{column} on or before {Day(period.End)} (the cutoff)"
            : $"{column} from {Day(period.Start)} to {Day(period.End)}, both inclusive";
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

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
