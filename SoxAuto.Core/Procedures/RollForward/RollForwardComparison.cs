using System.IO.Hashing;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Procedures.RollForward;

/// <summary>Which columns a roll-forward reads: the IPE's key columns, the amount column, and the company and
/// G/L account columns (or the one account every row belongs to). Null or empty: the IPE has none.</summary>
internal sealed record RollForwardColumns(IReadOnlyList<string> Keys, string? Amount, string? Company, string? Account, string? SingleAccount);

/// <summary>
/// The figures of a roll-forward, from two extracts read as streams: each is read once for its keys (into a
/// <see cref="SortedKeys"/>, bounded memory however many rows) and its totals per company and account (a few
/// thousand groups at most: past <see cref="MaxGroups"/> they stop being kept and the notes say so), then the two
/// sorted key lists are merged; a second read of each fetches the values of the keys listed.
/// </summary>
internal static class RollForwardComparison
{
    public const int Listed = RollForward.KeysListed;

    public const int MaxGroups = 10_000;

    public sealed record Figures(long Rows, long PriorRows, bool KeysCompared, long NewKeys, long RemovedKeys, IReadOnlyList<KeyChange> Keys,
        Movement? Total, IReadOnlyList<Movement> ByAccount, IReadOnlyList<Movement> ByCompany, IReadOnlyList<string> Notes);

    public static async Task<Figures> CompareAsync(Func<CancellationToken, Task<Stream>> openPrior, Func<CancellationToken, Task<Stream>> openCurrent,
        RollForwardColumns columns, CancellationToken ct)
    {
        using var prior = await Side.ReadAsync(openPrior, columns, "the prior period's extract", ct);
        using var current = await Side.ReadAsync(openCurrent, columns, "this run's extract", ct);
        var notes = prior.Notes.Concat(current.Notes).ToList();

        var keysCompared = columns.Keys.Count > 0 && prior.KeyIndexes is not null && current.KeyIndexes is not null;
        long added = 0, removed = 0;
        var newRows = new PriorityQueue<long, long>();
        var removedRows = new PriorityQueue<long, long>();
        if (keysCompared)
        {
            using var p = prior.Keys.Distinct().GetEnumerator();
            using var c = current.Keys.Distinct().GetEnumerator();
            bool hasPrior = p.MoveNext(), hasCurrent = c.MoveNext();
            while (hasPrior || hasCurrent)
            {
                var order = !hasPrior ? 1 : !hasCurrent ? -1 : p.Current.CompareKey(c.Current);
                if (order == 0) (hasPrior, hasCurrent) = (p.MoveNext(), c.MoveNext());
                else if (order < 0) { removed++; Keep(removedRows, p.Current.Row); hasPrior = p.MoveNext(); }
                else { added++; Keep(newRows, c.Current.Row); hasCurrent = c.MoveNext(); }
                if (((added + removed) & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
            }
        }
        else if (columns.Keys.Count == 0) notes.Add("The IPE declares no key columns, so no keys are compared.");

        var keys = new List<KeyChange>();
        keys.AddRange(await current.ListAsync(openCurrent, Rows(newRows), KeyChangeKind.New, ct));
        keys.AddRange(await prior.ListAsync(openPrior, Rows(removedRows), KeyChangeKind.Removed, ct));

        var amounts = current.AmountIndex >= 0 && prior.AmountIndex >= 0;
        return new Figures(current.Rows, prior.Rows, keysCompared, added, removed, keys,
            amounts ? Movements([("All rows", prior.Total)], [("All rows", current.Total)]).Single() : null,
            amounts && (columns.Account is not null || columns.SingleAccount is not null) ? Movements(prior.ByAccount, current.ByAccount) : [],
            amounts && columns.Company is not null ? Movements(prior.ByCompany, current.ByCompany) : [],
            notes);
    }

    /// <summary>Keeps the <see cref="Listed"/> earliest rows: the queue's head is the latest kept.</summary>
    private static void Keep(PriorityQueue<long, long> rows, long row)
    {
        rows.Enqueue(row, -row);
        if (rows.Count > Listed) rows.Dequeue();
    }

    private static HashSet<long> Rows(PriorityQueue<long, long> rows) => [.. rows.UnorderedItems.Select(r => r.Element)];

    /// <summary>Every group of either side, in order, with zero where a side lacks it (at the other side's scale).</summary>
    private static List<Movement> Movements(IEnumerable<(string Group, ExactSum Sum)> prior, IEnumerable<(string Group, ExactSum Sum)> current)
    {
        var before = prior.ToDictionary(g => g.Group, g => g.Sum.Value, StringComparer.Ordinal);
        var after = current.ToDictionary(g => g.Group, g => g.Sum.Value, StringComparer.Ordinal);
        return [.. before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).Select(group =>
        {
            var hasBefore = before.TryGetValue(group, out var b);
            var hasAfter = after.TryGetValue(group, out var a);
            if (!hasBefore) b = ExactNumber.Difference(a, a);
            if (!hasAfter) a = ExactNumber.Difference(b, b);
            return new Movement(group, b.ToString(), a.ToString(), ExactNumber.Difference(a, b).ToString());
        })];
    }

    /// <summary>One extract's keys, row count and totals.</summary>
    private sealed class Side : IDisposable
    {
        private readonly Dictionary<string, ExactSum> _byAccount = new(StringComparer.Ordinal), _byCompany = new(StringComparer.Ordinal);
        private byte[] _key = new byte[256];
        private bool _tooManyGroups;

        public SortedKeys Keys { get; } = new();
        public int[]? KeyIndexes { get; private set; }
        public int AmountIndex { get; private set; } = -1;
        public long Rows { get; private set; }
        public ExactSum Total { get; } = new();
        public List<string> Notes { get; } = [];
        public IEnumerable<(string, ExactSum)> ByAccount => _tooManyGroups ? [] : _byAccount.Select(g => (g.Key, g.Value));
        public IEnumerable<(string, ExactSum)> ByCompany => _tooManyGroups ? [] : _byCompany.Select(g => (g.Key, g.Value));

        public static async Task<Side> ReadAsync(Func<CancellationToken, Task<Stream>> open, RollForwardColumns columns, string what, CancellationToken ct)
        {
            var side = new Side();
            try
            {
                await side.ReadRowsAsync(open, columns, what, ct);
                return side;
            }
            catch
            {
                side.Dispose();
                throw;
            }
        }

        private async Task ReadRowsAsync(Func<CancellationToken, Task<Stream>> open, RollForwardColumns columns, string what, CancellationToken ct)
        {
            await using var stream = await open(ct);
            var reader = new AthenaCsvReader(stream);
            var header = await reader.ReadHeaderAsync(ct);
            int Index(string? name) => name is null ? -1 : Array.FindIndex(header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));
            var keys = columns.Keys.Select(Index).ToArray();
            if (columns.Keys.Count > 0 && keys.Any(k => k < 0))
                Notes.Add($"Keys are not compared: {what} has no column {string.Join(", ", columns.Keys.Where(k => Index(k) < 0))}.");
            else if (columns.Keys.Count > 0) KeyIndexes = keys;
            AmountIndex = Index(columns.Amount);
            if (columns.Amount is null) Notes.Add("The IPE declares no amount column, so no movement is computed.");
            else if (AmountIndex < 0) Notes.Add($"No movement is computed: {what} has no column {columns.Amount}.");
            int company = Index(columns.Company), account = Index(columns.Account);
            string? unreadable = null;
            while (await reader.ReadRowAsync(ct))
            {
                Rows++;
                if (KeyIndexes is not null) Keys.Add(KeyHash(reader, KeyIndexes), reader.DataRows);
                if (AmountIndex < 0 || reader.IsNull(AmountIndex)) continue; // as SUM does, NULL counts for nothing
                if (!reader.TryNumber(AmountIndex, out var amount))
                {
                    unreadable ??= $"In {what}, {columns.Amount} of data row {reader.DataRows:N0} is not a number; such values are left out of the totals.";
                    continue;
                }
                Total.Add(amount);
                if (company >= 0) Group(_byCompany, reader.Text(company) ?? "NULL", amount);
                if (account >= 0 || columns.SingleAccount is not null) Group(_byAccount, account >= 0 ? reader.Text(account) ?? "NULL" : columns.SingleAccount!, amount);
            }
            if (unreadable is not null) Notes.Add(unreadable);
            if (_tooManyGroups) Notes.Add($"{what} has more than {MaxGroups:N0} companies or accounts; movements are shown for all rows only.");
        }

        private void Group(Dictionary<string, ExactSum> groups, string group, in ExactNumber amount)
        {
            if (_tooManyGroups) return;
            if (!groups.TryGetValue(group, out var sum))
            {
                if (groups.Count == MaxGroups)
                {
                    _tooManyGroups = true;
                    _byAccount.Clear();
                    _byCompany.Clear();
                    return;
                }
                groups[group] = sum = new ExactSum();
            }
            sum.Add(amount);
        }

        /// <summary>The key's values length-prefixed (so that ("ab", "c") and ("a", "bc") differ; -1 is NULL), hashed.</summary>
        private UInt128 KeyHash(AthenaCsvReader row, int[] columns)
        {
            var length = 0;
            foreach (var column in columns)
            {
                var value = row.IsNull(column) ? default : row.Value(column);
                if (_key.Length < length + 4 + value.Length) Array.Resize(ref _key, Math.Max(length + 4 + value.Length, _key.Length * 2));
                BitConverter.TryWriteBytes(_key.AsSpan(length), row.IsNull(column) ? -1 : value.Length);
                value.CopyTo(_key.AsSpan(length + 4));
                length += 4 + value.Length;
            }
            return XxHash128.HashToUInt128(_key.AsSpan(0, length));
        }

        /// <summary>Reads the extract again for the listed rows' keys and amounts, in row order.</summary>
        public async Task<List<KeyChange>> ListAsync(Func<CancellationToken, Task<Stream>> open, HashSet<long> rows, KeyChangeKind change, CancellationToken ct)
        {
            var listed = new List<KeyChange>();
            if (rows.Count == 0 || KeyIndexes is null) return listed;
            await using var stream = await open(ct);
            var reader = new AthenaCsvReader(stream);
            await reader.ReadHeaderAsync(ct);
            var key = new RowKey();
            while (listed.Count < rows.Count && await reader.ReadRowAsync(ct))
                if (rows.Contains(reader.DataRows))
                    listed.Add(new KeyChange(change, RowKey.Shown(key.Of(reader, KeyIndexes).ToString()), reader.DataRows,
                        AmountIndex >= 0 ? reader.Text(AmountIndex) : null));
            return listed;
        }

        public void Dispose() => Keys.Dispose();
    }
}
