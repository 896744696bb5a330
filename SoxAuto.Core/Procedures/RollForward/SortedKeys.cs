using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SoxAuto.Core.Procedures.RollForward;

/// <summary>
/// The keys of one extract as 128-bit hashes with the row each first appears in, sorted in bounded memory (an
/// external sort, as the duplicate-key check does): blocks of <see cref="BlockEntries"/> are sorted and, past the
/// first, written to a temporary file opened to be deleted on close; <see cref="Distinct"/> merges them in hash
/// order. Memory: one block (3 MiB) while adding, then a 96 KiB buffer per block written out while merging.
/// </summary>
internal sealed class SortedKeys : IDisposable
{
    public const int BlockEntries = 131_072;
    private const int BufferEntries = 4_096;

    private Entry[] _block = new Entry[1_024];
    private int _count, _spilled;
    private SafeFileHandle? _file;

    public void Add(UInt128 hash, long row)
    {
        if (_count == _block.Length)
        {
            if (_block.Length < BlockEntries) Array.Resize(ref _block, Math.Min(BlockEntries, _block.Length * 2));
            else Spill();
        }
        _block[_count++] = new Entry((ulong)(hash >> 64), (ulong)hash, row);
    }

    /// <summary>Each key once, in hash order, with the first row that holds it.</summary>
    public IEnumerable<Entry> Distinct()
    {
        _block.AsSpan(0, _count).Sort();
        var queue = new PriorityQueue<IEnumerator<Entry>, Entry>();
        var sources = new List<IEnumerable<Entry>> { _block.Take(_count) };
        for (var i = 0; i < _spilled; i++) sources.Add(Spilled(i));
        foreach (var source in sources)
        {
            var e = source.GetEnumerator();
            if (e.MoveNext()) queue.Enqueue(e, e.Current);
        }
        Entry? previous = null;
        while (queue.TryDequeue(out var source, out var entry))
        {
            if (source.MoveNext()) queue.Enqueue(source, source.Current);
            // Equal hashes come in row order, so the first one is the key's first row.
            if (previous is not { } p || !p.SameKey(entry)) yield return entry;
            previous = entry;
        }
    }

    private IEnumerable<Entry> Spilled(int block)
    {
        var buffer = new Entry[BufferEntries];
        for (var read = 0; read < BlockEntries;)
        {
            var take = Math.Min(BufferEntries, BlockEntries - read);
            var bytes = MemoryMarshal.AsBytes(buffer.AsSpan(0, take));
            if (RandomAccess.Read(_file!, bytes, ((long)block * BlockEntries + read) * Entry.Size) != bytes.Length)
                throw new IOException("The roll-forward's temporary file of keys was cut short.");
            for (var i = 0; i < take; i++) yield return buffer[i];
            read += take;
        }
    }

    private void Spill()
    {
        _block.AsSpan(0, _count).Sort();
        _file ??= File.OpenHandle(Path.Combine(Path.GetTempPath(), $"soxauto-rollforward-{Guid.NewGuid():N}.tmp"),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        RandomAccess.Write(_file, MemoryMarshal.AsBytes(_block.AsSpan(0, _count)), (long)_spilled * BlockEntries * Entry.Size);
        _spilled++;
        _count = 0;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _file = null;
    }

    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Entry(ulong Hi, ulong Lo, long Row) : IComparable<Entry>
    {
        public const int Size = 24;

        public bool SameKey(Entry other) => Hi == other.Hi && Lo == other.Lo;

        public int CompareKey(Entry other) => Hi != other.Hi ? Hi.CompareTo(other.Hi) : Lo.CompareTo(other.Lo);

        public int CompareTo(Entry other)
        {
            var c = Hi.CompareTo(other.Hi);
            if (c == 0) c = Lo.CompareTo(other.Lo);
            return c != 0 ? c : Row.CompareTo(other.Row);
        }
    }
}
