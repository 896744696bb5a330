using SoxAuto.Core.Evidence.Store;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>One page of a stored extract. A null cell is SQL NULL; "" is an empty string.</summary>
public sealed record PreviewPage(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, long Skip, bool HasMore);

/// <summary>Reads pages of a stored extract for the browser preview, without loading the file whole:
/// it streams from the start and stops after the page (early pages are cheap, late ones read further).
/// A stored extract is read through the evidence store each time (from S3 too: there is no local cache).</summary>
public sealed class ExtractPreview(IEvidenceStore? store = null)
{
    /// <summary>A page of the extract stored under <paramref name="key"/> (the run's ExtractPath).</summary>
    public async Task<PreviewPage> ReadStoredPageAsync(string key, long skip, int take, CancellationToken ct)
    {
        var evidence = store ?? throw new InvalidOperationException("This preview has no evidence store.");
        await using var stored = await evidence.OpenAsync(key, ct)
            ?? throw new EvidenceStoreException($"The stored extract {key} is missing from the evidence store.");
        return await ReadPageAsync(stored, skip, take, ct);
    }

    /// <summary>A page of an extract file on this machine.</summary>
    public async Task<PreviewPage> ReadPageAsync(string extractPath, long skip, int take, CancellationToken ct)
    {
        await using var file = new FileStream(extractPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await ReadPageAsync(file, skip, take, ct);
    }

    private static async Task<PreviewPage> ReadPageAsync(Stream extract, long skip, int take, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        var reader = new AthenaCsvReader(extract, bufferBytes: 1 << 16);
        var columns = await reader.ReadHeaderAsync(ct);
        for (long i = 0; i < skip; i++)
            if (!await reader.ReadRowAsync(ct)) return new PreviewPage(columns, [], skip, HasMore: false);
        var rows = new List<string?[]>(Math.Min(take, 1000));
        while (rows.Count < take && await reader.ReadRowAsync(ct))
        {
            var row = new string?[columns.Length];
            for (var c = 0; c < row.Length; c++) row[c] = reader.Text(c);
            rows.Add(row);
        }
        var hasMore = rows.Count == take && await reader.ReadRowAsync(ct);
        return new PreviewPage(columns, rows, skip, hasMore);
    }
}
