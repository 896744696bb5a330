using System.Globalization;
using System.Text.Json;
using SoxAuto.Core.Data;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.Reperformance;

/// <summary>The reperformance's comparison with the original run, written as its workbook's Reperformance
/// sheet once the pass has measured the new extract, and recorded on the run. When the reperformance's SQL was not the
/// approved text verbatim (Iceberg tables read AS OF), the sheet ends with the approved SQL as the original executed it.</summary>
internal sealed class ReperformanceSheet(Run run, Run original, Func<CancellationToken, Task<Stream>> openOriginal, IReadOnlyList<string> keyColumns, string dataBasis) : IEvidenceSheet
{
    public string Name => "Reperformance";

    public async Task<SheetContent> WriteAsync(MeasuredExtract extract, CancellationToken ct)
    {
        var result = await CompareAsync(extract, ct);
        run.ReperformanceJson = JsonSerializer.Serialize(result, SoxAutoDb.Json);
        return Content(result, run.Id, original.ExecutedSql != run.ExecutedSql ? original.ExecutedSql : null);
    }

    private async Task<ReperformanceResult> CompareAsync(MeasuredExtract extract, CancellationToken ct)
    {
        var rows = new FigurePair(Count(original.RowCount ?? 0), Count(extract.Rows));
        var sha = new FigurePair(original.ExtractSha256 ?? "", extract.Sha256);
        var totals = Totals(Reperformances.OriginalColumns(original), extract.Columns);
        if (sha.Same)
            return new(original.Id, true, dataBasis, rows, sha, totals, Keyed, 0, 0, 0, [], null);
        var found = await ExtractDifferences.FindAsync(openOriginal,
            _ => Task.FromResult<Stream>(new FileStream(extract.StoredPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16)), keyColumns, ct);
        var note = found.Rows.Count == 0
            ? "The extracts hold the same rows with the same values, but not byte for byte the same file (the rows are in another order)."
            : null;
        return new(original.Id, false, dataBasis, rows, sha, totals, found.ComparedBy, found.Added, found.Removed, found.Changed, found.Rows, note);
    }

    private string Keyed => keyColumns.Count == 0 ? "the SHA-256 (the extracts are identical)" : "the key columns " + string.Join(", ", keyColumns);

    /// <summary>The sums of the numeric columns, the extract's control totals, side by side.</summary>
    private static List<TotalComparison> Totals(IReadOnlyList<ColumnProfile> before, IReadOnlyList<ColumnProfile> after)
    {
        var was = before.Where(c => c.Sum is not null).ToDictionary(c => c.Name, c => c.Sum, StringComparer.Ordinal);
        var now = after.Where(c => c.Sum is not null).ToDictionary(c => c.Name, c => c.Sum, StringComparer.Ordinal);
        return [.. was.Keys.Union(now.Keys).Select(name =>
        {
            var o = was.GetValueOrDefault(name);
            var r = now.GetValueOrDefault(name);
            var difference = decimal.TryParse(o, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
                && decimal.TryParse(r, NumberStyles.Number, CultureInfo.InvariantCulture, out var b)
                ? (b - a).ToString(CultureInfo.InvariantCulture) : null;
            return new TotalComparison(name, o, r, difference);
        })];
    }

    internal static SheetContent Content(ReperformanceResult r, int runId, string? approvedSql = null)
    {
        static string Same(bool same) => same ? "Same" : "Different";
        var rows = new List<IReadOnlyList<string>>();
        rows.Add(["Verdict", $"run-{r.OriginalRunId}", $"run-{runId}", r.Match ? "Match" : "Difference",
            r.Match ? "The reperformed extract is byte for byte the original's (same SHA-256)." : "The reperformed extract differs from the original's; see below."]);
        rows.Add(["Data read", "", "", "", r.DataBasis]);
        rows.Add(["Rows", r.RowCount.Original, r.RowCount.Reperformed, Same(r.RowCount.Same), ""]);
        rows.Add(["Extract SHA-256", r.Sha256.Original, r.Sha256.Reperformed, Same(r.Sha256.Same), ""]);
        rows.AddRange(r.Totals.Select(t => (IReadOnlyList<string>)[$"Total of {t.Column}", t.Original ?? "", t.Reperformed ?? "", Same(t.Same),
            t.Same || t.Difference is null ? "" : $"reperformed less original: {t.Difference}"]));
        if (!r.Match)
        {
            rows.Add(["Rows compared by", "", "", "", r.ComparedBy]);
            rows.Add(["Rows added, removed, changed", "", "", $"{Count(r.AddedRows)}, {Count(r.RemovedRows)}, {Count(r.ChangedRows)}",
                r.AddedRows + r.RemovedRows + r.ChangedRows > ExtractDifferences.Listed ? $"the first {ExtractDifferences.Listed} of each are listed" : ""]);
            rows.AddRange(r.Differences.Select(d => (IReadOnlyList<string>)[$"{d.Change} row: {d.Key}",
                d.OriginalRow is { } o ? $"row {Count(o)}" : "", d.ReperformedRow is { } n ? $"row {Count(n)}" : "", d.Change.ToString(), d.Detail]));
            if (r.Note is not null) rows.Add(["Note", "", "", "", r.Note]);
        }
        if (approvedSql is not null)
        {
            rows.Add(["SQL", "as approved", "with AS OF", "Rewritten",
                "This reperformance sent the approved SQL with FOR TIMESTAMP AS OF after its Iceberg tables (the Query sheet has it as executed). The approved SQL, as the original run executed it:"]);
            rows.AddRange(approvedSql.Split('\n').Select((line, i) => (IReadOnlyList<string>)[$"Approved SQL line {i + 1}", "", "", "", line.TrimEnd('\r')]));
        }
        return new SheetContent(["Compared", "Original run", "This reperformance", "Result", "Detail"], [30, 34, 34, 14, 90], rows);
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
