using SoxAuto.Core.Extract;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Completeness: the control query's count (an independent query over the IPE's sources, on the same
/// engine, with the same parameters) equals the extract's row count, overall and in each group. The
/// check of the first control query feeds the extract's figures (<see cref="ExtractGroups"/>) from the
/// pass; the accuracy checks read the same figures.
/// </summary>
internal sealed class CompletenessCheck(ControlComparison comparison, string suffix, bool feedsFigures) : ICheck
{
    public const string BaseName = "Completeness: extract rows = control count";

    public string Name => BaseName + suffix;

    public void Begin(ExtractHeader header)
    {
        if (!feedsFigures) return;
        try { comparison.Extract.Begin(header); }
        catch (Exception e) when (Broke(e)) { }
    }

    public void Row(IExtractRow row)
    {
        if (!feedsFigures) return;
        try { comparison.Extract.Row(row); }
        catch (Exception e) when (Broke(e)) { }
    }

    /// <summary>Figures that stopped being fed are incomplete: the accuracy checks must know it too.</summary>
    private bool Broke(Exception e)
    {
        comparison.Extract.Broke ??= $"{e.GetType().Name}: {e.Message}";
        return false; // not caught: the exception goes on to the guard, which makes this check Error
    }

    public async ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct)
    {
        var c = await comparison.ComparedAsync(ct);
        if (c.Error is not null) return ControlOutcome.Error(Name, c);
        var expected = c.Control.Values.Sum(f => f.Rows);
        var actual = comparison.Extract.Overall.Rows;
        var differing = c.Keys.Where(k => Rows(c.Control, k) != Rows(c.Extract, k)).ToList();
        var listed = differing.Take(Listed).Select(k =>
            $"{RowKey.Shown(k)}: control {Count(Rows(c.Control, k))}, extract {Count(Rows(c.Extract, k))}");
        var passed = expected == actual && differing.Count == 0;
        return ControlOutcome.Of(Name, c, passed, $"{Count(expected)} rows (the control query's {ControlComparison.RowCountColumn})",
            $"{Count(actual)} rows in the extract",
            passed ? ControlOutcome.AllAgree(c, "The row counts are equal") : ControlOutcome.Differ(c, differing.Count, listed));
    }

    private static long Rows(IReadOnlyDictionary<string, ControlComparison.Figures> side, string key) =>
        side.TryGetValue(key, out var f) ? f.Rows : 0;
}

/// <summary>
/// Accuracy: the control query's total of one amount column equals the extract's, computed by the
/// evidence pass in exact decimal arithmetic: equal to the cent, overall and in each group (company,
/// G/L account), so that a difference points at where it is.
/// </summary>
internal sealed class AccuracyCheck(ControlComparison comparison, int amount, string suffix) : ICheck
{
    private string Column => comparison.Extract.AmountColumns[amount];

    public string Name => $"Accuracy: {Column} total = control total{suffix}";

    public void Begin(ExtractHeader header) { }

    public void Row(IExtractRow row) { }

    public async ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct)
    {
        var c = await comparison.ComparedAsync(ct);
        if (c.Error is not null) return ControlOutcome.Error(Name, c);
        if (comparison.Extract.Broke is { } broke)
            return ControlOutcome.Error(Name, c, $"The extract's figures broke while the pass read it ({broke}).");
        if (!comparison.Extract.HasAmount(amount))
            return ControlOutcome.Of(Name, c, false, "a total of " + Column, $"column {Column} is missing from the result",
                "The amount column is not in the query result, so its total cannot be compared.");
        if (!c.TotalsFound[amount])
            return ControlOutcome.Error(Name, c, $"The control query returns no total named {Column}, so there is nothing to compare the extract's total with.");
        if (comparison.Extract.Unreadable(amount) is { } unreadable)
            return ControlOutcome.Error(Name, c, $"The extract's total of {Column} cannot be computed: {unreadable}.");
        var expected = Sum(c.Control.Values);
        var actual = comparison.Extract.Overall.Totals[amount].Value;
        var differing = c.Keys.Where(k => ExactNumber.Compare(Total(c.Control, k), Total(c.Extract, k)) != 0).ToList();
        var listed = differing.Take(Listed).Select(k =>
            $"{RowKey.Shown(k)}: control {Total(c.Control, k)}, extract {Total(c.Extract, k)}, difference {ExactNumber.Difference(Total(c.Control, k), Total(c.Extract, k))}");
        var passed = ExactNumber.Compare(expected, actual) == 0 && differing.Count == 0;
        return ControlOutcome.Of(Name, c, passed, expected.ToString(), actual.ToString(),
            passed ? ControlOutcome.AllAgree(c, "The totals are equal to the last decimal") : ControlOutcome.Differ(c, differing.Count, listed));
    }

    private ExactNumber Sum(IEnumerable<ControlComparison.Figures> groups)
    {
        var sum = new ExactSum();
        foreach (var g in groups) sum.Add(g.Total(amount));
        return sum.Value;
    }

    private ExactNumber Total(IReadOnlyDictionary<string, ControlComparison.Figures> side, string key) =>
        side.TryGetValue(key, out var f) ? f.Total(amount) : ExactNumber.Zero;
}

/// <summary>The words both control checks use.</summary>
internal static class ControlOutcome
{
    public static CheckOutcome Of(string name, ControlComparison.Compared c, bool passed, string expected, string actual, string detail) =>
        new(name, passed ? CheckStatus.Passed : CheckStatus.Failed, expected, actual, detail)
        {
            Rule = c.Answer.Sql,
            ExecutionId = c.Answer.ExecutionId,
            Duration = c.Answer.Duration,
        };

    public static CheckOutcome Error(string name, ControlComparison.Compared c, string? message = null) =>
        CheckOutcome.Errored(name, message ?? c.Error!, c.Answer.Sql) with { ExecutionId = c.Answer.ExecutionId, Duration = c.Answer.Duration };

    public static string AllAgree(ControlComparison.Compared c, string what) => c.GroupBy.Count == 0
        ? $"{what} (the control query has no groups)."
        : $"{what} overall and in each of the {Count(c.Keys.Count())} groups of {Names(c.GroupBy)}.";

    public static string Differ(ControlComparison.Compared c, int differing, IEnumerable<string> listed) => c.GroupBy.Count == 0
        ? "They differ (the control query has no groups to say where)."
        : $"{Count(differing)} of {Count(c.Keys.Count())} groups of {Names(c.GroupBy)} differ: {string.Join("; ", listed)}{More(differing, Listed)}.";
}

/// <summary>What stands in for the completeness and accuracy checks when they cannot run.</summary>
internal static class ControlNotRun
{
    public static IEnumerable<ICheck> For(string why, IReadOnlyList<string> amountColumns)
    {
        yield return new NotRunCheck(CompletenessCheck.BaseName, why);
        yield return new NotRunCheck(amountColumns.Count == 0 ? "Accuracy: amount totals = control totals" : $"Accuracy: {Names(amountColumns)} totals = control totals", why);
    }
}

/// <summary>A check that cannot run here, and says why. It reads no rows.</summary>
internal sealed class NotRunCheck(string name, string why) : ICheck
{
    public string Name => name;
    public void Begin(ExtractHeader header) { }
    public void Row(IExtractRow row) { }
    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(new CheckOutcome(name, CheckStatus.NotRun, "", "", "Not run: " + why));
}
