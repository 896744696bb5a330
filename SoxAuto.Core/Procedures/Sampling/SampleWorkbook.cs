using System.Text.Json;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Runs;

namespace SoxAuto.Core.Procedures.Sampling;

/// <summary>A sample as a workbook, written with the evidence workbook's writer: the method (enough to draw it
/// again) and the rows drawn, each with its row number in the extract.</summary>
internal static class SampleWorkbook
{
    public static void Write(string path, Sample sample, Run run)
    {
        var columns = JsonSerializer.Deserialize<string[]>(sample.ColumnsJson) ?? [];
        using var package = new WorkbookPackage(path);
        SummarySheets.Table(package, 1, "Method", [34, 110], header: null, Method(sample, run)
            .Select(l => new[] { SummaryCell.Bold(l.Key), SummaryCell.Wrapped(l.Value) }));
        string[] header = ["Row in extract", .. sample.Method == SampleMethod.Stratified ? [$"Stratum ({sample.StratumColumn})"] : Array.Empty<string>(),
            .. sample.Method == SampleMethod.MonetaryUnit ? ["Selected units"] : Array.Empty<string>(), .. columns];
        SummarySheets.Table(package, 2, "Sample", [14, .. Enumerable.Repeat(20.0, header.Length - 1)], header,
            sample.Rows.Select(r => Cells(sample, r)), filter: true);
        package.Finish();
    }

    private static SummaryCell[] Cells(Sample sample, SampledRow row)
    {
        var cells = new List<SummaryCell> { SummaryCell.Of(row.RowNumber) };
        if (sample.Method == SampleMethod.Stratified) cells.Add(row.Stratum);
        if (sample.Method == SampleMethod.MonetaryUnit) cells.Add(row.Units);
        cells.AddRange((JsonSerializer.Deserialize<string?[]>(row.ValuesJson) ?? []).Select(v => (SummaryCell)(v ?? "NULL")));
        return [.. cells];
    }

    private static IEnumerable<KeyValuePair<string, string>> Method(Sample s, Run run)
    {
        yield return new("Sample", $"sample-{s.Id} of run-{run.Id}");
        yield return new("IPE", $"{run.IpeId} v{run.IpeVersionNumber} for {run.PeriodText}");
        yield return new("Extract", $"{run.FileStem}.csv, SHA-256 {s.ExtractSha256}; {s.PopulationRows:N0} rows (the population)");
        yield return new("Method", Samples.Describe(s));
        yield return new("Seed", s.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("Generator", "SplitMix64 seeded with the seed above (see the auditor's guide): the same seed on the same extract draws the same rows.");
        yield return new("How", s.Method switch
        {
            SampleMethod.MonetaryUnit =>
                $"Every positive amount of {s.AmountColumn} is a run of monetary units, in extract order (NULL, zero, negative amounts hold none). "
                + $"Population amount {s.PopulationAmount}; sampling interval {s.Interval} (population amount / {s.Size}); random start {s.RandomStart}. "
                + "The units at random start + k × interval (k = 0, 1, ...) are selected; a row is drawn when a selected unit falls in it "
                + "(its units from the running total before it, inclusive, to the running total after it, exclusive).",
            SampleMethod.Stratified =>
                $"Each value of {s.StratumColumn} is a stratum; up to {s.Size} rows of each are drawn by simple random selection (a reservoir per stratum).",
            _ => $"{s.Size} rows drawn by simple random selection without replacement (a reservoir over the extract).",
        });
        yield return new("Rows drawn", s.Rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new("Drawn by", s.DrawnBy);
        yield return new("Drawn at", UtcTime.Text(s.DrawnAt));
    }
}
