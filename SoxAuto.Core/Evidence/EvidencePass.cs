using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>What the pass does with the bytes themselves, before they are parsed.</summary>
/// <param name="Sha256">Hash every byte as it arrives.</param>
/// <param name="StoredExtract">Copy every byte, as it arrives, to this stream (the stored extract);
/// at the end it is flushed and, for a file, forced to disk.</param>
public sealed record PassBytes(bool Sha256, Stream? StoredExtract = null);

/// <param name="Sha256">Lowercase hex; null when the pass did not hash.</param>
public sealed record PassResult(long Rows, long Bytes, string? Sha256);

/// <summary>
/// The one streaming pass over a query's result, used by every run (<see cref="EvidenceWriter"/>) and
/// timed, part by part, by the benchmark. The engine's bytes are hashed and copied to the stored extract
/// as they arrive; the same bytes are parsed once, and every observer (the workbook's Data sheets with
/// the column figures, each check) sees the header, each row, and the end. Memory stays flat whatever
/// the size, as long as the observers keep figures rather than rows.
/// </summary>
public static class EvidencePass
{
    private const int ReportEveryRows = 4096;

    public static async Task<PassResult> RunAsync(QueryResult result, IReadOnlyList<IExtractObserver> observers, PassBytes bytes,
        IProgress<long>? rows, CancellationToken ct)
    {
        using var tee = new ExtractTee(result.Csv, bytes.Sha256, bytes.StoredExtract);
        var reader = new AthenaCsvReader(tee);
        CheckHeader(await reader.ReadHeaderAsync(ct), result.Columns);
        var header = new ExtractHeader(result.Columns);
        var all = observers.ToArray();
        foreach (var observer in all) observer.Begin(header);

        while (await reader.ReadRowAsync(ct))
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < all.Length; i++) all[i].Row(reader);
            if (reader.DataRows % ReportEveryRows == 0)
            {
                rows?.Report(reader.DataRows);
                // The pass is CPU work between reads that mostly complete at once, so it would hold its
                // pool thread for seconds; with several runs at once, page requests then waited seconds
                // for a thread. Going to the back of the queue every few milliseconds lets them through.
                await Task.Yield();
            }
        }
        rows?.Report(reader.DataRows);
        foreach (var observer in all) observer.End(reader.DataRows);

        if (bytes.StoredExtract is { } stored)
        {
            // The extract is complete: force it to disk before anything calls it evidence.
            await stored.FlushAsync(ct);
            if (stored is FileStream file) file.Flush(flushToDisk: true);
        }
        return new PassResult(reader.DataRows, tee.Bytes, tee.Sha256Hex());
    }

    /// <summary>The header must name the engine's columns in order, or the types would be misapplied.</summary>
    private static void CheckHeader(string[] header, IReadOnlyList<ResultColumn> columns)
    {
        if (header.Length != columns.Count || header.Where((h, i) => h != columns[i].Name).Any())
            throw new InvalidDataException(
                $"The extract's header ({string.Join(", ", header)}) does not match the engine's columns ({string.Join(", ", columns.Select(c => c.Name))}).");
    }
}
