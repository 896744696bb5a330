using System.Text;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Witness records: known records that must be in the extract, and known records that must not be, each
/// identified by key values (text exactly as the extract prints it; column names match case-insensitively).
/// A witness chosen for a period (<see cref="WitnessRecord.Period"/>) counts in runs of that period only;
/// one without a period counts in every run.
/// </summary>
public sealed class WitnessRecordsCheck(IReadOnlyList<WitnessRecord> witnesses, Period period) : ICheck
{
    private readonly List<Witness> _applicable = witnesses.Where(w => w.Period is null || SamePeriod(w.Period, period)).Select(w => new Witness(w)).ToList();
    private long _rows;

    public string Name => "Witness records present or absent";

    public void Begin(ExtractHeader header)
    {
        foreach (var w in _applicable) w.Locate(header);
    }

    public void Row(IExtractRow row)
    {
        _rows++;
        foreach (var w in _applicable)
            if (w.FoundAt is null && w.Matches(row)) w.FoundAt = _rows;
    }

    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(Outcome());

    private CheckOutcome Outcome()
    {
        if (witnesses.Count == 0)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no witness records.");
        var rule = string.Join("\n", _applicable.Select(w => w.Rule));
        if (_applicable.Count == 0)
            return new(Name, CheckStatus.NotRun, "", "",
                $"Not run: none of the IPE's witness records is chosen for {period.Text} (they are for {Names(witnesses.Select(w => w.Period!).Distinct())}).");
        var missing = _applicable.SelectMany(w => w.MissingColumns).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
            return new(Name, CheckStatus.Failed, string.Join("; ", _applicable.Select(w => w.Expected)), $"missing from the result: {Names(missing)}",
                "A witness record's key column is not in the query result, so it cannot be looked for.")
            { Rule = rule };
        var wrong = _applicable.Where(w => w.Holds == false).ToList();
        return new(Name, wrong.Count == 0 ? CheckStatus.Passed : CheckStatus.Failed,
            string.Join("; ", _applicable.Select(w => w.Expected)),
            string.Join("; ", _applicable.Select(w => w.Actual)),
            wrong.Count == 0
                ? $"All {Count(_applicable.Count)} witness records for {period.Text} are as expected."
                : "Not as expected: " + string.Join(" ", wrong.Select(w => $"{w.Record.Description} ({w.Shown} {(w.Record.MustBePresent ? "is missing" : "is in the extract")}).")))
        { Rule = rule };
    }

    /// <summary>A witness's period is written like a run's (2025-09, 2025-Q3, 2025 or a date).</summary>
    private static bool SamePeriod(string text, Period run) => Period.TryParse(text, run.NextStart, out var p, out _) && p == run;

    private sealed class Witness(WitnessRecord record)
    {
        private (int Index, byte[] Value)[] _key = [];

        public WitnessRecord Record => record;
        public List<string> MissingColumns { get; } = [];
        public long? FoundAt { get; set; }
        public bool? Holds => MissingColumns.Count > 0 ? null : (FoundAt is not null) == record.MustBePresent;

        public string Shown => string.Join(", ", record.Key.Select(k => $"{k.Key} {k.Value}"));
        public string Expected => (record.MustBePresent ? "present: " : "absent: ") + Shown;
        public string Actual => Shown + (FoundAt is { } row ? $" found (data row {Count(row)})" : " not found");
        public string Rule => $"{(record.MustBePresent ? "present" : "absent")}: a row with "
            + string.Join(" and ", record.Key.Select(k => $"{k.Key} = '{k.Value.Replace("'", "''", StringComparison.Ordinal)}'"))
            + (record.Period is null ? " (every period)" : $" (chosen for {record.Period})");

        public void Locate(ExtractHeader header)
        {
            var key = new List<(int, byte[])>();
            foreach (var (column, value) in record.Key)
            {
                var index = header.IndexOf(column);
                if (index < 0) MissingColumns.Add(column);
                else key.Add((index, Encoding.UTF8.GetBytes(value)));
            }
            _key = [.. key];
        }

        public bool Matches(IExtractRow row)
        {
            if (MissingColumns.Count > 0) return false;
            foreach (var (index, value) in _key)
                if (row.IsNull(index) || !row.Value(index).SequenceEqual(value)) return false;
            return true;
        }
    }
}
