using System.Security.Cryptography;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// Parts of the evidence pass run alone over a stored extract, so that the benchmark (the
/// <c>bench</c> verb, docs/performance.md) can say where the whole pass spends its time. Runs never
/// use these: <see cref="EvidenceWriter"/> does every part in one pass over the engine's bytes.
/// Each returns the data rows it read (0 for the byte-only parts).
/// </summary>
public static class EvidencePassStages
{
    private const int BlockBytes = 1 << 20; // what the pass's reader asks the engine stream for

    /// <summary>Parses every row, nothing else.</summary>
    public static async Task<long> ReadAsync(string extract, CancellationToken ct)
    {
        await using var file = Open(extract);
        var reader = new AthenaCsvReader(file);
        await reader.ReadHeaderAsync(ct);
        while (await reader.ReadRowAsync(ct)) { }
        return reader.DataRows;
    }

    /// <summary>The SHA-256 of the file, as the pass computes it (IncrementalHash, 1 MiB blocks).</summary>
    public static async Task<long> HashAsync(string extract, CancellationToken ct)
    {
        await using var file = Open(extract);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new byte[BlockBytes];
        int n;
        while ((n = await file.ReadAsync(block, ct)) > 0) sha256.AppendData(block, 0, n);
        sha256.GetHashAndReset();
        return 0;
    }

    /// <summary>Copies the bytes to a new file and forces it to disk, as the pass stores the extract.</summary>
    public static async Task<long> StoreAsync(string extract, string copy, CancellationToken ct)
    {
        await using var file = Open(extract);
        await using var stored = new FileStream(copy, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await file.CopyToAsync(stored, BlockBytes, ct);
        await stored.FlushAsync(ct);
        stored.Flush(flushToDisk: true);
        return 0;
    }

    /// <summary>Parses every row and feeds the checks and the column figures; no workbook.</summary>
    public static Task<long> ChecksAndFiguresAsync(string extract, IReadOnlyList<ResultColumn> columns, CheckSettings checks,
        DateOnly periodStart, DateOnly periodEnd, CancellationToken ct)
        => ParsedPassAsync(extract, columns, checks, periodStart, periodEnd, workbookPath: null, ct);

    /// <summary>Everything but the hash and the stored copy: parsing, checks, figures and the workbook
    /// (its Data sheets and the package parts; the summary sheets are a few rows and left out).</summary>
    public static Task<long> WorkbookAsync(string extract, IReadOnlyList<ResultColumn> columns, CheckSettings checks,
        DateOnly periodStart, DateOnly periodEnd, string workbookPath, CancellationToken ct)
        => ParsedPassAsync(extract, columns, checks, periodStart, periodEnd, workbookPath, ct);

    private static async Task<long> ParsedPassAsync(string extract, IReadOnlyList<ResultColumn> resultColumns, CheckSettings checks,
        DateOnly periodStart, DateOnly periodEnd, string? workbookPath, CancellationToken ct)
    {
        await using var file = Open(extract);
        var reader = new AthenaCsvReader(file);
        var header = await reader.ReadHeaderAsync(ct);
        using var package = workbookPath is null ? null : new WorkbookPackage(workbookPath);
        var styles = package?.Styles ?? new Styles();
        var columns = resultColumns.Select(c => new ExtractColumn(c.Name, c.Type, styles)).ToArray();
        using var data = package is null ? null : new DataSheets(package, columns, 1, 1_048_575, long.MaxValue);
        var required = new RequiredColumnsCheck(checks.RequiredColumns, header);
        var dates = new DatesInPeriodCheck(checks, periodStart, periodEnd, header);
        while (await reader.ReadRowAsync(ct))
        {
            var sheet = data?.StartRow();
            for (var i = 0; i < columns.Length; i++) columns[i].Take(reader, i, sheet);
            data?.EndRow();
            required.Observe(reader);
            dates.Observe(reader);
        }
        data?.Finish();
        package?.Finish();
        _ = (required.Outcome(), dates.Outcome(), columns.Select(c => c.Profile(package is not null)).ToList());
        return reader.DataRows;
    }

    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
}
