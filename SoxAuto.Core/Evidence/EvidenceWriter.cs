using System.Globalization;
using System.Security.Cryptography;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// The one streaming pass from an engine result to stored evidence. The engine's bytes are hashed
/// and copied to the extract file as they arrive, and the same bytes are parsed once to feed the
/// checks, the column profiles and the workbook's Data sheet(s). Memory stays flat whatever the size.
/// Both files are written as <c>.partial</c>, forced to disk and renamed only when complete; after a
/// failure or cancellation neither is left behind and the exception propagates.
/// </summary>
public sealed class EvidenceWriter
{
    private const int ReportEveryRows = 4096;

    // Workbook order: Evidence, Query, Data (Data 2 ...), Checks, Columns.
    private const int EvidencePosition = 1, QueryPosition = 2, FirstDataPosition = 3;

    public async Task<EvidenceResult> WriteAsync(EvidenceRequest request, EngineResult result, IProgress<long>? rows, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxRowsPerSheet, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.MaxRowsPerSheet, 1_048_575);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.MaxWorkbookRows, 0);
        var extractPartial = request.ExtractPath + ".partial";
        var workbookPartial = request.WorkbookPath + ".partial";
        try
        {
            var evidence = await WritePartialFilesAsync(request, result, extractPartial, workbookPartial, rows, ct);
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

    private static async Task<EvidenceResult> WritePartialFilesAsync(EvidenceRequest request, EngineResult result,
        string extractPartial, string workbookPartial, IProgress<long>? rows, CancellationToken ct)
    {
        var extractFile = new FileStream(extractPartial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WorkbookPackage? package = null;
        DataSheets? data = null;
        try
        {
            using var tee = new ExtractTee(result.Csv, extractFile);
            var reader = new AthenaCsvReader(tee);
            var header = await reader.ReadHeaderAsync(ct);
            CheckHeader(header, result.Columns);

            package = new WorkbookPackage(workbookPartial);
            var columns = result.Columns.Select(c => new ExtractColumn(c.Name, c.Type, package.Styles)).ToArray();
            data = new DataSheets(package, columns, FirstDataPosition, request.MaxRowsPerSheet, request.MaxWorkbookRows);
            var required = new RequiredColumnsCheck(request.Checks.RequiredColumns, header);
            var dates = new DatesInPeriodCheck(request.Checks, request.PeriodStart, request.PeriodEnd, header);

            while (await reader.ReadRowAsync(ct))
            {
                ct.ThrowIfCancellationRequested();
                var sheet = data.StartRow();
                for (var i = 0; i < columns.Length; i++) columns[i].Take(reader, i, sheet);
                data.EndRow();
                required.Observe(reader);
                dates.Observe(reader);
                if (reader.DataRows % ReportEveryRows == 0) rows?.Report(reader.DataRows);
            }
            rows?.Report(reader.DataRows);
            data.Finish();

            // The extract is complete: force it to disk before anything calls it evidence.
            await extractFile.FlushAsync(ct);
            extractFile.Flush(flushToDisk: true);
            var extractSha256 = tee.Sha256Hex();
            var extractBytes = tee.Bytes;
            await extractFile.DisposeAsync();

            CheckOutcome[] checks =
            [
                data.Omitted
                    ? WorkbookCompletenessCheck.NotRunWithoutDataSheets(reader.DataRows, request.MaxWorkbookRows)
                    : WorkbookCompletenessCheck.Evaluate(reader.DataRows, data.RowsWritten),
                required.Outcome(),
                dates.Outcome(),
            ];
            var profiles = columns.Select(c => (c.Profile(!data.Omitted), c.Note(!data.Omitted))).ToList();
            var checksPosition = FirstDataPosition + data.SheetCount;
            SummarySheets.Evidence(package, EvidencePosition, EvidenceLines(request, reader.DataRows, extractSha256, extractBytes, data.SheetCount, checks));
            SummarySheets.Query(package, QueryPosition, request.ExecutedSql, request.Parameters);
            SummarySheets.Checks(package, checksPosition, checks);
            SummarySheets.Columns(package, checksPosition + 1, profiles);
            package.Finish();

            var (workbookSha256, workbookBytes) = await HashFileAsync(workbookPartial, ct);
            return new EvidenceResult(reader.DataRows, extractSha256, extractBytes, workbookSha256, workbookBytes,
                data.SheetCount, checks, profiles.Select(p => p.Item1).ToList());
        }
        finally
        {
            // After a success these are already closed; after a failure they are abandoned quietly so
            // that the original exception (cancellation, a full disk, a broken source) is the one seen.
            data?.Dispose();
            package?.Dispose();
            try { await extractFile.DisposeAsync(); } catch (Exception) { }
        }
    }

    /// <summary>The header must name the engine's columns in order, or the types would be misapplied.</summary>
    private static void CheckHeader(string[] header, IReadOnlyList<ResultColumn> columns)
    {
        if (header.Length != columns.Count || header.Where((h, i) => h != columns[i].Name).Any())
            throw new InvalidDataException(
                $"The extract's header ({string.Join(", ", header)}) does not match the engine's columns ({string.Join(", ", columns.Select(c => c.Name))}).");
        if (header.Length > 16_384)
            throw new InvalidDataException($"The result has {header.Length} columns; an Excel sheet holds at most 16,384.");
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
        $"{checks.Count(c => c.Status == CheckStatus.Passed)} passed, {checks.Count(c => c.Status == CheckStatus.Failed)} failed, {checks.Count(c => c.Status == CheckStatus.NotRun)} not run");

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
