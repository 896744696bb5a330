using System.Globalization;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.RollForward;

/// <summary>A roll-forward as a workbook, written with the evidence workbook's writer: the <c>Roll-forward</c> sheet
/// (what was compared, then the movement by G/L account and by company) and the new and removed keys listed.</summary>
internal static class RollForwardWorkbook
{
    public static void Write(string path, RollForward r, Run run)
    {
        using var package = new WorkbookPackage(path);
        SummarySheets.Table(package, 1, "Roll-forward", [34, 26, 26, 26, 60], header: null, Sheet(r, run), freeze: false);
        SummarySheets.Table(package, 2, "New and removed keys", [12, 40, 16, 22], ["Change", "Key", "Row in extract", r.AmountColumn ?? "Amount"],
            r.Keys.Select(k => new SummaryCell[] { k.Change.ToString(), k.Key, SummaryCell.Of(k.Row), Amount(k.Amount) }), filter: true);
        package.Finish();
    }

    private static IEnumerable<SummaryCell[]> Sheet(RollForward r, Run run)
    {
        static SummaryCell[] Line(string name, string value) => [SummaryCell.Bold(name), SummaryCell.Wrapped(value)];
        yield return Line("This run", $"run-{r.RunId}: {run.IpeId} v{run.IpeVersionNumber} for {r.Period}, extract {run.FileStem}.csv, SHA-256 {run.ExtractSha256}, {Count(r.Rows)} rows");
        if (r.PriorRunId is not { } prior)
        {
            yield return Line("Prior period", r.PriorPeriod ?? "(none)");
            yield return Line("No roll-forward", r.NoPrior ?? "");
            yield break;
        }
        yield return Line("Prior run", $"run-{prior} for {r.PriorPeriod}, {Count(r.PriorRows)} rows");
        yield return Line("Keys", r.KeysCompared
            ? $"By {r.ComparedBy}: {Count(r.NewKeys)} new (only in {r.Period}), {Count(r.RemovedKeys)} removed (only in {r.PriorPeriod}); the first {RollForwardComparison.Listed} of each are on the next sheet"
            : "Not compared (see the notes)");
        yield return Line("Amount column", r.AmountColumn ?? "(none)");
        foreach (var note in r.Notes) yield return Line("Note", note);
        foreach (var (title, movements) in new[] { ("G/L account", r.ByAccount), ("Company", r.ByCompany) })
        {
            if (movements.Count == 0) continue;
            yield return [];
            yield return [SummaryCell.Bold(title), SummaryCell.Bold($"{r.PriorPeriod} (run-{prior})"), SummaryCell.Bold($"{r.Period} (run-{r.RunId})"), SummaryCell.Bold("Change")];
            foreach (var m in movements) yield return Row(m);
            if (r.Total is { } total) yield return Row(total);
        }
    }

    private static SummaryCell[] Row(Movement m) => [m.Group, Amount(m.Prior), Amount(m.Current), Amount(m.Change)];

    /// <summary>A number Excel can hold as one; otherwise the exact text.</summary>
    private static SummaryCell Amount(string? exact) =>
        decimal.TryParse(exact, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? SummaryCell.Of(d) : exact;

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
