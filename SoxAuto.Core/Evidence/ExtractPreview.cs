using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>One page of a stored extract. A null cell is SQL NULL; "" is an empty string.</summary>
public sealed record PreviewPage(IReadOnlyList<string> Columns, IReadOnlyList<string?[]> Rows, long Skip, bool HasMore);

/// <summary>Reads pages of a stored extract for the browser preview, without loading the file whole:
/// it streams from the start and stops after the page (early pages are cheap, late ones read further).</summary>
public sealed class ExtractPreview
{
    public async Task<PreviewPage> ReadPageAsync(string extractPath, long skip, int take, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        await using var file = new FileStream(extractPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var reader = new AthenaCsvReader(file, bufferBytes: 1 << 16);
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
