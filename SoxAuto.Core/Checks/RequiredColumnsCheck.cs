using SoxAuto.Core.Evidence;

namespace SoxAuto.Core.Checks;

/// <summary>Integrity: the IPE's required columns hold no NULL in any row. Column names match
/// case-insensitively, as Athena's do.</summary>
public sealed class RequiredColumnsCheck
{
    public const string Name = "Required columns have no NULLs";

    private readonly IReadOnlyList<string> _required;
    private readonly List<string> _missing = [];
    private readonly List<(string Name, int Index)> _present = [];
    private readonly long[] _nulls;

    public RequiredColumnsCheck(IReadOnlyList<string> requiredColumns, IReadOnlyList<string> header)
    {
        _required = requiredColumns;
        foreach (var name in requiredColumns)
        {
            var index = IndexOf(header, name);
            if (index < 0) _missing.Add(name);
            else _present.Add((name, index));
        }
        _nulls = new long[_present.Count];
    }

    public void Observe(IExtractRow row)
    {
        for (var i = 0; i < _present.Count; i++)
            if (row.IsNull(_present[i].Index)) _nulls[i]++;
    }

    public CheckOutcome Outcome()
    {
        if (_required.Count == 0)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no required columns.");
        var expected = "0 NULLs in " + string.Join(", ", _required);
        var counts = string.Join(", ", _present.Select((p, i) => $"{p.Name}: {WorkbookCompletenessCheck.Count(_nulls[i])}"));
        if (_missing.Count > 0)
            return new(Name, CheckStatus.Failed, expected,
                "missing from the result: " + string.Join(", ", _missing) + (counts.Length > 0 ? "; NULLs " + counts : ""),
                "A required column is not in the query result, so its values cannot be checked.");
        var total = _nulls.Sum();
        return new(Name, total == 0 ? CheckStatus.Passed : CheckStatus.Failed, expected,
            $"{WorkbookCompletenessCheck.Count(total)} NULLs ({counts})",
            total == 0 ? "Every row has a value in every required column." : "Some rows have no value in a required column.");
    }

    internal static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (var i = 0; i < header.Count; i++)
            if (string.Equals(header[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
