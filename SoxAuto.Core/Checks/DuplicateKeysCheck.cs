using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SoxAuto.Core.Extract;
using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>
/// Integrity: no two rows of the extract share a key (<see cref="Catalog.CheckSettings.KeyColumns"/>).
/// In bounded memory whatever the size: each row's key becomes a 128-bit hash (XxHash128 of the key's
/// values as printed, NULL included as a value) with its row number; blocks of <see cref="BlockEntries"/>
/// are sorted and, past the first, written to a temporary file; at the end the sorted blocks are merged
/// (at most <see cref="FanIn"/> at once, so the merge's memory does not grow with the rows), and equal
/// neighbours are duplicates. A duplicate is never missed (equal keys give equal hashes); two
/// different keys would be taken for one only if their 128-bit hashes collided (below 10^-20 for a
/// billion rows).
/// </summary>
public sealed class DuplicateKeysCheck(IReadOnlyList<string> keyColumns) : ICheck, IDisposable
{
    /// <param name="blockEntries">Entries sorted in memory at once; smaller only in tests, to make many blocks.</param>
    internal DuplicateKeysCheck(IReadOnlyList<string> keyColumns, int blockEntries) : this(keyColumns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockEntries, 1);
        _blockEntries = blockEntries;
    }

    /// <summary>Entries sorted in memory at once: 3 MiB.</summary>
    public const int BlockEntries = 131_072;

    /// <summary>Sorted blocks read at once by the merge, each through a 48 KiB buffer: 768 KiB in all.</summary>
    internal const int FanIn = 16;

    // 48 KiB: below the large-object heap's 85,000 bytes, so a buffer is ordinary short-lived memory.
    private const int MergeBufferEntries = 2_048;

    private readonly int _blockEntries = BlockEntries;

    private int[] _index = [];
    private readonly List<string> _missing = [];
    private byte[] _key = new byte[256];
    private Entry[] _block = [];
    private int _count;
    private long _rows;
    private int _spilled;
    private string? _spillPath;
    private SafeFileHandle? _spill;

    public string Name => "No duplicate keys";

    /// <summary>The most sorted blocks or runs the merge read at once (at most <see cref="FanIn"/>).</summary>
    internal int MostSourcesMerged { get; private set; }

    public void Begin(ExtractHeader header)
    {
        var index = new List<int>();
        foreach (var column in keyColumns)
        {
            var i = header.IndexOf(column);
            if (i < 0) _missing.Add(column);
            else index.Add(i);
        }
        _index = [.. index];
    }

    public void Row(IExtractRow row)
    {
        if (keyColumns.Count == 0 || _missing.Count > 0) return;
        _rows++;
        var length = 0;
        foreach (var column in _index)
        {
            // Length-prefixed, so that ("ab", "c") and ("a", "bc") differ; -1 is NULL.
            var value = row.IsNull(column) ? default : row.Value(column);
            Ensure(length + 4 + value.Length);
            BitConverter.TryWriteBytes(_key.AsSpan(length), row.IsNull(column) ? -1 : value.Length);
            value.CopyTo(_key.AsSpan(length + 4));
            length += 4 + value.Length;
        }
        var hash = XxHash128.HashToUInt128(_key.AsSpan(0, length));
        if (_count == _block.Length)
        {
            if (_block.Length < _blockEntries) Array.Resize(ref _block, Math.Min(_blockEntries, Math.Max(1024, _block.Length * 2)));
            else Spill();
        }
        _block[_count++] = new Entry((ulong)(hash >> 64), (ulong)hash, _rows);
    }

    public ValueTask<CheckOutcome> OutcomeAsync(CancellationToken ct) => ValueTask.FromResult(Outcome(ct));

    private CheckOutcome Outcome(CancellationToken ct)
    {
        if (keyColumns.Count == 0)
            return new(Name, CheckStatus.NotRun, "", "", "Not run: this IPE declares no key columns.");
        var rule = $"no two rows with the same ({Names(keyColumns)})";
        var expected = $"0 rows sharing a key ({Names(keyColumns)}) with another row";
        if (_missing.Count > 0)
            return new(Name, CheckStatus.Failed, expected, $"missing from the result: {Names(_missing)}",
                "A key column is not in the query result, so the keys cannot be checked.")
            { Rule = rule };
        var (duplicateRows, keys, pairs) = FindDuplicates(ct);
        Dispose();
        var passed = duplicateRows == 0;
        return new(Name, passed ? CheckStatus.Passed : CheckStatus.Failed, expected,
            passed ? "0" : $"{Count(duplicateRows)} rows repeat the key of an earlier row ({Count(keys)} keys)",
            passed ? $"All {Count(_rows)} rows have different keys." :
                "Same key: " + string.Join("; ", pairs.Select(p => $"data rows {Count(p.First)} and {Count(p.Second)}")) + More(duplicateRows, pairs.Count) + ".")
        { Rule = rule };
    }

    /// <summary>Merges the sorted blocks (the one in memory and those written out) in key order. At most
    /// <see cref="FanIn"/> blocks are read at once, each through its own buffer: with more written out,
    /// groups of them are first merged into longer sorted runs at the end of the file, so the memory of
    /// the merge is the same for 38 blocks (5M rows) as for 3 (issue 18: one buffer per block grew the
    /// pass by 3.6 MiB at 5M rows).</summary>
    private (long Rows, long Keys, List<(long First, long Second)> Pairs) FindDuplicates(CancellationToken ct)
    {
        _block.AsSpan(0, _count).Sort();
        var runs = new Queue<(long Offset, long Length)>();
        for (var i = 0; i < _spilled; i++) runs.Enqueue(((long)i * _blockEntries, _blockEntries));
        var end = (long)_spilled * _blockEntries;
        while (runs.Count >= FanIn) // with the block in memory, more than FanIn sources
        {
            var group = Enumerable.Range(0, FanIn).Select(_ => runs.Dequeue()).ToList();
            var start = end;
            using var output = new RunWriter(_spill!, start);
            Merge(group.Select(r => new BlockReader(_spill!, r.Offset, r.Length)).ToList(), output.Add, ct);
            output.Flush();
            end = output.End;
            runs.Enqueue((start, end - start));
        }

        var sources = runs.Select(r => new BlockReader(_spill!, r.Offset, r.Length)).Prepend(new BlockReader(_block, _count)).ToList();
        long rows = 0, keys = 0, firstOfKey = 0;
        var pairs = new List<(long, long)>();
        Entry? previous = null;
        var keyCounted = false;
        Merge(sources, entry =>
        {
            if (previous is { } p && p.Hi == entry.Hi && p.Lo == entry.Lo)
            {
                // Rows of one key come in row order, so the first is the earliest.
                rows++;
                if (!keyCounted) keys++;
                keyCounted = true;
                if (pairs.Count < Listed) pairs.Add((firstOfKey, entry.Row));
            }
            else
            {
                firstOfKey = entry.Row;
                keyCounted = false;
            }
            previous = entry;
        }, ct);
        return (rows, keys, pairs);
    }

    /// <summary>Hands every entry of the sorted sources to <paramref name="take"/> in order.</summary>
    private void Merge(List<BlockReader> sources, Action<Entry> take, CancellationToken ct)
    {
        MostSourcesMerged = Math.Max(MostSourcesMerged, sources.Count);
        try
        {
            var queue = new PriorityQueue<BlockReader, Entry>();
            foreach (var s in sources)
                if (s.TryPeek(out var first)) queue.Enqueue(s, first);
            long merged = 0;
            while (queue.TryDequeue(out var source, out var entry))
            {
                if ((++merged & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
                source.Advance();
                if (source.TryPeek(out var next)) queue.Enqueue(source, next);
                take(entry);
            }
        }
        finally
        {
            foreach (var s in sources) s.Dispose();
        }
    }

    private void Spill()
    {
        _block.AsSpan(0, _count).Sort();
        if (_spill is null)
        {
            _spillPath = Path.Combine(Path.GetTempPath(), $"soxauto-keys-{Guid.NewGuid():N}.tmp");
            _spill = File.OpenHandle(_spillPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        }
        RandomAccess.Write(_spill, MemoryMarshal.AsBytes(_block.AsSpan(0, _count)), (long)_spilled * _blockEntries * Entry.Size);
        _spilled++;
        _count = 0;
    }

    private void Ensure(int length)
    {
        if (_key.Length < length) Array.Resize(ref _key, Math.Max(length, _key.Length * 2));
    }

    /// <summary>Deletes the temporary file (it is opened to be deleted on close, so a crash leaves nothing either).</summary>
    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
        _block = [];
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Entry(ulong Hi, ulong Lo, long Row) : IComparable<Entry>
    {
        public const int Size = 24;

        public int CompareTo(Entry other)
        {
            var c = Hi.CompareTo(other.Hi);
            if (c == 0) c = Lo.CompareTo(other.Lo);
            return c != 0 ? c : Row.CompareTo(other.Row);
        }
    }

    /// <summary>Writes a merged run to the temporary file through a buffer of the merge's size.</summary>
    private sealed class RunWriter(SafeFileHandle file, long startEntry) : IDisposable
    {
        private Entry[] _buffer = ArrayPool<Entry>.Shared.Rent(MergeBufferEntries);
        private int _count;

        /// <summary>The entry after the last one written.</summary>
        public long End { get; private set; } = startEntry;

        public void Add(Entry entry)
        {
            if (_count == MergeBufferEntries) Flush();
            _buffer[_count++] = entry;
        }

        public void Flush()
        {
            RandomAccess.Write(file, MemoryMarshal.AsBytes(_buffer.AsSpan(0, _count)), End * Entry.Size);
            End += _count;
            _count = 0;
        }

        public void Dispose()
        {
            ArrayPool<Entry>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    /// <summary>Reads one sorted block in order, from memory or through a small buffer from the file.
    /// The buffers come from the shared pool and go back: new ones for every merge were large-object
    /// garbage that the next merge did not reuse (RSS rose 6 MB at the end of a 5M-row pass).</summary>
    private sealed class BlockReader : IDisposable
    {
        private readonly SafeFileHandle? _file;
        private readonly long _offset;
        private readonly long _length;
        private Entry[] _buffer;
        private int _buffered, _at;
        private long _read;

        public BlockReader(Entry[] block, int count)
        {
            _buffer = block;
            _buffered = count;
            _length = count;
            _read = count;
        }

        /// <param name="offset">The block's first entry in the file.</param>
        public BlockReader(SafeFileHandle file, long offset, long length)
        {
            _file = file;
            _offset = offset * Entry.Size;
            _length = length;
            _buffer = ArrayPool<Entry>.Shared.Rent(MergeBufferEntries);
        }

        public bool TryPeek(out Entry entry)
        {
            if (_at == _buffered && _file is not null && _read < _length)
            {
                var take = (int)Math.Min(MergeBufferEntries, _length - _read);
                var bytes = MemoryMarshal.AsBytes(_buffer.AsSpan(0, take));
                var got = RandomAccess.Read(_file, bytes, _offset + (long)_read * Entry.Size);
                if (got != bytes.Length) throw new IOException("The temporary file of the duplicate-key check was cut short.");
                _buffered = take;
                _read += take;
                _at = 0;
            }
            entry = _at < _buffered ? _buffer[_at] : default;
            return _at < _buffered;
        }

        public void Advance() => _at++;

        public void Dispose()
        {
            if (_file is not null && _buffer.Length > 0) ArrayPool<Entry>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
