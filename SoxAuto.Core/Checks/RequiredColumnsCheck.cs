using SoxAuto.Core.Extract;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>Integrity: the IPE's required columns hold no NULL in any row. Column names match
/// case-insensitively, as Athena's do.</summary>
public sealed class RequiredColumnsCheck(IReadOnlyList<string> requiredColumns) : ICheck
{
    private readonly List<string> _missing = [];
    private readonly List<(string Name, int Index)> _present = [];
    private long[] _nulls = [];

    public string Name => "Required columns have no NULLs";

    public void Begin(ExtractHeader header)
    {
        foreach (var name in requiredColumns)
        {
            var index = header.IndexOf(name);
            if (index < 0) _missing.Add(name);
            else _present.Add((name, index));
        }
        _nulls = new long[_present.Count];
    }

    public void Row(IExtractRow row)
    {
        for (var i = 0; i < _present.Count; i++)
            if (row.IsNull(_present[i].Index)) _nulls[i]++;
    }

    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(Outcome());

    private CheckOutcome Outcome()
    {
        if (requiredColumns.Count == 0)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no required columns.");
        var expected = "0 NULLs in " + string.Join(", ", requiredColumns);
        var counts = string.Join(", ", _present.Select((p, i) => $"{p.Name}: {Count(_nulls[i])}"));
        if (_missing.Count > 0)
            return new(Name, CheckStatus.Failed, expected,
                "missing from the result: " + string.Join(", ", _missing) + (counts.Length > 0 ? "; NULLs " + counts : ""),
                "A required column is not in the query result, so its values cannot be checked.");
        var total = _nulls.Sum();
        return new(Name, total == 0 ? CheckStatus.Passed : CheckStatus.Failed, expected,
            $"{Count(total)} NULLs ({counts})",
            total == 0 ? "Every row has a value in every required column." : "Some rows have no value in a required column.");
    }
}
