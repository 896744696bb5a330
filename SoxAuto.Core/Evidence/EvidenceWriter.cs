using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// From a query's result to stored evidence: the <see cref="EvidencePass"/> hashes and stores the
/// extract and feeds the workbook's Data sheet(s), the column figures and the run's checks; then the
/// checks give their outcomes and the workbook gets its Evidence, Query, Checks and Columns sheets.
/// Both files are written as <c>.partial</c>, forced to disk and renamed only when complete; after a
/// failure or cancellation neither is left behind and the exception propagates.
/// </summary>
public sealed class EvidenceWriter
{
    // Workbook order: Evidence, Query, Data (Data 2 ...), Checks, Columns, then a procedure's own sheets.
    private const int EvidencePosition = 1, QueryPosition = 2, FirstDataPosition = 3;

    /// <summary>Threads that compress the Data sheets; null for one per processor. Tests set it to show
    /// that the workbook's bytes do not depend on it.</summary>
    internal int? CompressionWorkers { get; init; }

    /// <param name="checks">The run's checks (<see cref="IpeChecks"/>), each fed by the pass; shown after
    /// the workbook's own completeness check.</param>
    public async Task<EvidenceResult> WriteAsync(EvidenceRequest request, QueryResult result, IReadOnlyList<ICheck> checks,
        IProgress<long>? rows, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxRowsPerSheet, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxRowsPerSheet, ExcelLimits.DataRowsPerSheet);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxWorkbookRows, 0);
        var extractPartial = request.ExtractPath + ".partial";
        var workbookPartial = request.WorkbookPath + ".partial";
        try
        {
            var evidence = await WritePartialFilesAsync(request, result, checks, extractPartial, workbookPartial, rows, ct);
            ct.ThrowIfCancellationRequested();
            File.Move(extractPartial, request.ExtractPath, overwrite: true);
            try
            {
                File.Move(workbookPartial, request.WorkbookPath, overwrite: true);
            }
            catch
            {
                DeleteQuietly(request.ExtractPath); // an extract without its workbook is not evidence
                throw;
            }
            return evidence;
        }
        catch
        {
            DeleteQuietly(extractPartial);
            DeleteQuietly(workbookPartial);
            throw;
        }
    }

    private async Task<EvidenceResult> WritePartialFilesAsync(EvidenceRequest request, QueryResult result, IReadOnlyList<ICheck> checks,
        string extractPartial, string workbookPartial, IProgress<long>? rows, CancellationToken ct)
    {
        var extractFile = new FileStream(extractPartial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WorkbookPackage? package = null;
        DataSheets? data = null;
        // A check that breaks is an Error outcome, never a failed run (see GuardedCheck).
        var guarded = checks.Select(c => new GuardedCheck(c)).ToList();
        // The checks run on a thread of their own beside the pass's (parsing and the Data sheets).
        var checksThread = new ObserverThread(guarded);
        try
        {
            package = new WorkbookPackage(workbookPartial) { CompressionWorkers = CompressionWorkers };
            var figures = new ColumnFigures(package.Styles);
            data = new DataSheets(package, figures, FirstDataPosition, request.MaxRowsPerSheet, request.MaxWorkbookRows);
            var watch = Stopwatch.StartNew();
            var pass = await EvidencePass.RunAsync(result, [data, checksThread], new PassBytes(Sha256: true, StoredExtract: extractFile), rows, ct);
            var passTime = watch.Elapsed;
            await extractFile.DisposeAsync();

            var outcomes = new List<CheckOutcome>
            {
                (data.Omitted
                    ? WorkbookCompletenessCheck.NotRunWithoutDataSheets(pass.Rows, request.MaxWorkbookRows)
                    : WorkbookCompletenessCheck.Evaluate(pass.Rows, data.RowsWritten)) with { Duration = passTime },
            };
            foreach (var check in guarded)
            {
                var asked = Stopwatch.GetTimestamp();
                var outcome = await check.OutcomeAsync(ct);
                // A check fed by the pass ran inside it: its time is the pass's and its outcome's.
                outcomes.Add(outcome.Duration is null ? outcome with { Duration = passTime + Stopwatch.GetElapsedTime(asked) } : outcome);
            }
            var profiles = figures.Profiles(!data.Omitted);
            var checksPosition = FirstDataPosition + data.SheetCount;
            SummarySheets.Evidence(package, EvidencePosition, EvidenceLines(request, pass.Rows, pass.Sha256!, pass.Bytes, data.SheetCount, outcomes));
            SummarySheets.Query(package, QueryPosition, request.ExecutedSql, request.Parameters);
            SummarySheets.Checks(package, checksPosition, outcomes);
            SummarySheets.Columns(package, checksPosition + 1, profiles.Zip(figures.Notes(!data.Omitted)).ToList());
            var measured = new MeasuredExtract(pass.Rows, pass.Sha256!, pass.Bytes, profiles, extractPartial);
            foreach (var (sheet, i) in (request.Sheets ?? []).Select((s, i) => (s, i)))
            {
                var content = await sheet.WriteAsync(measured, ct);
                SummarySheets.Table(package, checksPosition + 2 + i, sheet.Name, [.. content.Widths], [.. content.Header],
                    content.Rows.Select(r => r.Select(c => SummaryCell.Wrapped(c)).ToArray()), filter: true);
            }
            package.Finish();

            var (workbookSha256, workbookBytes) = await HashFileAsync(workbookPartial, ct);
            return new EvidenceResult(pass.Rows, pass.Sha256!, pass.Bytes, workbookSha256, workbookBytes, data.SheetCount, outcomes, profiles);
        }
        finally
        {
            // After a success these are already closed; after a failure they are abandoned quietly so
            // that the original exception (cancellation, a full disk, a broken source) is the one seen.
            checksThread.Dispose(); // stopped before the checks it feeds are disposed
            data?.Dispose();
            package?.Dispose();
            foreach (var check in guarded) check.Dispose();
            try { await extractFile.DisposeAsync(); } catch (Exception) { }
        }
    }

    private static IEnumerable<KeyValuePair<string, SummaryCell>> EvidenceLines(EvidenceRequest request, long rowCount,
        string sha256, long bytes, int dataSheets, IReadOnlyList<CheckOutcome> checks)
    {
        foreach (var fact in request.Facts) yield return new(fact.Key, fact.Value);
        var file = Path.GetFileName(request.ExtractPath);
        yield return new("Rows", SummaryCell.Of(rowCount));
        yield return new("Extract file", file);
        yield return new("Extract size (bytes)", SummaryCell.Of(bytes));
        yield return new("Extract SHA-256", sha256);
        yield return new("Checks", CheckSummary(checks));
        var sheets = Enumerable.Range(1, dataSheets).Select(DataSheets.SheetName);
        yield return new("Data sheets", dataSheets == 0
            ? SummaryCell.Wrapped(
                FormattableString.Invariant($"None. The extract has {rowCount:N0} rows, more than the {request.MaxWorkbookRows:N0} rows a workbook holds here ")
                + $"(SoxAuto:MaxWorkbookRows). The complete data is the extract file {file} (SHA-256 {sha256}), "
                + "stored and delivered with this workbook.")
            : string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(", ", sheets)} (at most {request.MaxRowsPerSheet:N0} rows each, under a header row)"));
        yield return new("How to verify the extract", SummaryCell.Wrapped(
            $"Recompute the SHA-256 of the extract file and compare it with the line above: `sha256sum {file}` "
            + $"(Linux, macOS) or `Get-FileHash -Algorithm SHA256 {file}` (Windows PowerShell). The extract is stored "
            + "exactly as the engine delivered it, so the same data always gives the same SHA-256."));
        yield return new("This workbook", SummaryCell.Wrapped(
            "A workbook cannot contain its own SHA-256; SoxAuto records it with the run. Numbers with more than 15 "
            + "significant digits are text here so that no digit is lost (see the Columns sheet)."));
    }

    internal static string CheckSummary(IReadOnlyList<CheckOutcome> checks) => string.Create(CultureInfo.InvariantCulture,
        $"{checks.Count(c => c.Status == CheckStatus.Passed)} passed, {checks.Count(c => c.Status == CheckStatus.Failed)} failed, "
        + $"{checks.Count(c => c.Status == CheckStatus.Error)} error, {checks.Count(c => c.Status == CheckStatus.NotRun)} not run");

    private static async Task<(string Sha256, long Bytes)> HashFileAsync(string path, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var hash = await SHA256.HashDataAsync(file, ct);
        return (Convert.ToHexStringLower(hash), file.Length);
    }

    private static void DeleteQuietly(string path)
    {
        try { File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
