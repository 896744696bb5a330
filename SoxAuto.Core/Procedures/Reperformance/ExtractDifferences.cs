using System.IO.Hashing;
using System.Text;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Procedures.Reperformance;

/// <summary>
/// The rows that differ between two extracts of the same query: matched by the IPE's key columns, or by
/// the whole row where it declares none (or a key column is missing). Read as streams, twice for the
/// original: memory holds one entry per original row (its key and a 128-bit hash of its values), so it is
/// only called when the SHA-256 already says the extracts differ.
/// </summary>
internal sealed class ExtractDifferences
{
    /// <summary>Rows listed per kind of difference; the counts cover every row.</summary>
    public const int Listed = 20;

    public long Added { get; private set; }
    public long Removed { get; private set; }
    public long Changed { get; private set; }
    public string ComparedBy { get; private set; } = "";
    public List<RowDifference> Rows { get; } = [];

    public static async Task<ExtractDifferences> FindAsync(Func<CancellationToken, Task<Stream>> original, Func<CancellationToken, Task<Stream>> reperformed,
        IReadOnlyList<string> keyColumns, CancellationToken ct)
    {
        var found = new ExtractDifferences();
        await found.CompareAsync(original, reperformed, keyColumns, ct);
        return found;
    }

    private async Task CompareAsync(Func<CancellationToken, Task<Stream>> openOriginal, Func<CancellationToken, Task<Stream>> openReperformed, IReadOnlyList<string> keyColumns, CancellationToken ct)
    {
        var byKey = new Dictionary<string, List<(long Row, UInt128 Hash)>>(StringComparer.Ordinal);
        var rowKey = new RowKey();
        string[] header;
        int[] keys;
        bool wholeRows;
        await using (var stream = await openOriginal(ct))
        {
            var reader = new AthenaCsvReader(stream);
            header = await reader.ReadHeaderAsync(ct);
            (keys, wholeRows) = KeyIndexes(header, keyColumns);
            ComparedBy = wholeRows
                ? "whole rows (every column): the IPE declares no key columns, or one is not in the extract"
                : "the key columns " + string.Join(", ", keyColumns);
            while (await reader.ReadRowAsync(ct))
            {
                var key = rowKey.Of(reader, keys).ToString();
                if (!byKey.TryGetValue(key, out var rows)) byKey[key] = rows = [];
                rows.Add((reader.DataRows, RowHash(reader)));
            }
        }

        var listedValues = new Dictionary<long, string[]>(); // reperformed rows listed, with their values
        var originalRowsWanted = new HashSet<long>();
        await using (var stream = await openReperformed(ct))
        {
            var reader = new AthenaCsvReader(stream);
            var other = await reader.ReadHeaderAsync(ct);
            if (!other.SequenceEqual(header))
            {
                Rows.Add(new RowDifference(RowChange.Changed, "(columns)", null, null,
                    $"The columns differ: the original has {string.Join(", ", header)}; the reperformance {string.Join(", ", other)}. Rows were not compared."));
                return;
            }
            while (await reader.ReadRowAsync(ct))
            {
                var key = rowKey.Of(reader, keys).ToString();
                var hash = RowHash(reader);
                if (byKey.TryGetValue(key, out var rows) && rows.Count > 0)
                {
                    var same = rows.FindIndex(r => r.Hash == hash);
                    if (same >= 0) { rows.RemoveAt(same); continue; }
                    var was = rows[0];
                    rows.RemoveAt(0);
                    if (++Changed <= Listed) Note(RowChange.Changed, key, was.Row, reader, listedValues, originalRowsWanted);
                }
                else if (++Added <= Listed) Note(RowChange.Added, key, null, reader, listedValues, originalRowsWanted);
            }
        }
        foreach (var (key, row) in byKey.SelectMany(k => k.Value.Select(r => (k.Key, r.Row))).OrderBy(r => r.Row))
        {
            if (++Removed > Listed) continue;
            originalRowsWanted.Add(row);
            Rows.Add(new RowDifference(RowChange.Removed, key, row, null, ""));
        }

        // Second read of the original, for the values of the rows listed.
        var originalValues = new Dictionary<long, string[]>();
        if (originalRowsWanted.Count > 0)
        {
            await using var stream = await openOriginal(ct);
            var reader = new AthenaCsvReader(stream);
            await reader.ReadHeaderAsync(ct);
            while (originalValues.Count < originalRowsWanted.Count && await reader.ReadRowAsync(ct))
                if (originalRowsWanted.Contains(reader.DataRows)) originalValues[reader.DataRows] = Values(reader);
        }
        for (var i = 0; i < Rows.Count; i++)
        {
            var d = Rows[i];
            var before = d.OriginalRow is { } o ? originalValues.GetValueOrDefault(o) : null;
            var after = d.ReperformedRow is { } r ? listedValues.GetValueOrDefault(r) : null;
            var detail = d.Change switch
            {
                RowChange.Changed when before is not null && after is not null => string.Join("; ", header.Select((c, j) => (c, j))
                    .Where(x => before[x.j] != after[x.j]).Select(x => $"{x.c}: {before[x.j]} → {after[x.j]}")),
                RowChange.Added when after is not null => Describe(header, after),
                RowChange.Removed when before is not null => Describe(header, before),
                _ => d.Detail,
            };
            Rows[i] = d with { Key = wholeRows ? "(whole row)" : RowKey.Shown(d.Key), Detail = detail };
        }
        Rows.Sort((a, b) => a.Change != b.Change ? a.Change.CompareTo(b.Change)
            : (a.ReperformedRow ?? a.OriginalRow ?? 0).CompareTo(b.ReperformedRow ?? b.OriginalRow ?? 0));
    }

    private void Note(RowChange change, string key, long? originalRow, AthenaCsvReader reader,
        Dictionary<long, string[]> listedValues, HashSet<long> originalRowsWanted)
    {
        listedValues[reader.DataRows] = Values(reader);
        if (originalRow is { } o) originalRowsWanted.Add(o);
        Rows.Add(new RowDifference(change, key, originalRow, reader.DataRows, ""));
    }

    /// <summary>The key columns' positions; every column when a key column is missing or none is declared.</summary>
    private static (int[] Keys, bool WholeRows) KeyIndexes(string[] header, IReadOnlyList<string> keyColumns)
    {
        var keys = keyColumns.Select(k => Array.FindIndex(header, h => string.Equals(h, k, StringComparison.OrdinalIgnoreCase))).ToArray();
        return keys.Length > 0 && keys.All(k => k >= 0) ? (keys, false) : ([.. Enumerable.Range(0, header.Length)], true);
    }

    /// <summary>All values, length-prefixed (so that ("ab","c") and ("a","bc") differ), NULL apart from "".</summary>
    private static UInt128 RowHash(AthenaCsvReader row)
    {
        var hash = new XxHash128();
        Span<byte> length = stackalloc byte[4];
        for (var i = 0; i < row.FieldCount; i++)
        {
            BitConverter.TryWriteBytes(length, row.IsNull(i) ? -1 : row.Value(i).Length);
            hash.Append(length);
            hash.Append(row.Value(i));
        }
        return hash.GetCurrentHashAsUInt128();
    }

    private static string[] Values(AthenaCsvReader row) =>
        [.. Enumerable.Range(0, row.FieldCount).Select(i => row.IsNull(i) ? "NULL" : Encoding.UTF8.GetString(row.Value(i)))];

    private static string Describe(string[] header, string[] values) =>
        string.Join("; ", header.Select((c, i) => $"{c}: {values[i]}"));
}
