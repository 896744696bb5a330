using SoxAuto.Core.Catalog;
using SoxAuto.Core.Extract;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Integrity: no row belongs to a company that was not selected. The IPE's company column
/// (<see cref="CheckSettings.CompanyColumn"/>) must hold one of the run's values of its company parameter
/// (<see cref="CheckSettings.CompanyParameter"/>), compared exactly; a NULL company is outside the selection.
/// </summary>
public sealed class CompanySelectionCheck(CheckSettings settings, IReadOnlyList<ParameterValue> parameters) : ICheck
{
    private readonly ParameterValue? _selection = parameters.FirstOrDefault(p => p.Name == settings.CompanyParameter);
    private readonly HashSet<string> _selected = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _outside = new(StringComparer.Ordinal);
    private readonly RowKey _key = new();
    private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int[] _index = [-1];
    private long _rows, _outsideRows;

    public string Name => "Only the selected companies";

    public void Begin(ExtractHeader header)
    {
        _index = [settings.CompanyColumn is null ? -1 : header.IndexOf(settings.CompanyColumn)];
        foreach (var v in _selection?.Values ?? []) _selected.Add(v);
        _lookup = _selected.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public void Row(IExtractRow row)
    {
        if (_index[0] < 0 || _selection is null) return;
        _rows++;
        var company = _key.Of(row, _index);
        if (!row.IsNull(_index[0]) && _lookup.Contains(company)) return;
        _outsideRows++;
        var shown = row.IsNull(_index[0]) ? null : company.ToString();
        var name = shown ?? RowKey.Null.ToString();
        if (_outside.TryGetValue(name, out var n)) _outside[name] = n + 1;
        else if (_outside.Count < Listed) _outside[name] = 1;
    }

    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(Outcome());

    private CheckOutcome Outcome()
    {
        if (settings.CompanyColumn is not { } column || settings.CompanyParameter is not { } parameter)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no company column and company parameter.");
        if (_selection is null)
            return CheckOutcome.Errored(Name, $"The run has no value for the company parameter {parameter}, so the selection is unknown.");
        var rule = $"{column} IN ({string.Join(", ", _selection.Values.Select(v => $"'{v.Replace("'", "''", StringComparison.Ordinal)}'"))})";
        var expected = $"every {column} one of the selected companies ({parameter}: {_selection.Display})";
        if (_index[0] < 0)
            return new(Name, CheckStatus.Failed, expected, $"column {column} is missing from the result",
                "The company column is not in the query result, so the rows' companies cannot be checked.")
            { Rule = rule };
        var passed = _outsideRows == 0;
        var actual = passed ? "0 rows outside the selection"
            : $"{Count(_outsideRows)} rows outside the selection: " + string.Join(", ", _outside.Select(o => $"{RowKey.Shown(o.Key)} ({Count(o.Value)})"))
              + (_outside.Count == Listed ? " (the first companies found)" : "");
        return new(Name, passed ? CheckStatus.Passed : CheckStatus.Failed, expected, actual,
            passed ? $"All {Count(_rows)} rows belong to a selected company." : "Some rows belong to a company that was not selected (NULL counts as not selected).")
        { Rule = rule };
    }
}
