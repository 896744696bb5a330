using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// The zip container of a workbook, written entry after entry to a seekable file: each entry's local
/// header is written first and its CRC-32 and sizes filled in once the entry is closed; the central
/// directory comes at <see cref="Finish"/>. It exists because <see cref="ZipArchive"/> only takes
/// uncompressed bytes and compresses them on the writing thread, while the Data sheets are deflated in
/// blocks on several threads (<see cref="ParallelDeflateStream"/>, docs/decisions/parallel-deflate.md).
/// Every entry is deflated and stamped 1980-01-01 00:00 (zip's epoch), so the same parts give the same
/// file. Zip64 records are written only for what needs them (an entry or offset past 4 GiB).
/// </summary>
internal sealed class ZipPackageWriter
{
    private const uint LocalHeaderSignature = 0x04034b50, CentralHeaderSignature = 0x02014b50, EndSignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50, Zip64LocatorSignature = 0x07064b50;
    private const ushort Zip64Tag = 0x0001;
    // A large entry reserves room in its local header for the zip64 sizes it may turn out to need;
    // until then the room is an extra field no reader interprets (zip readers skip unknown ones).
    private const ushort ReservedTag = 0x5358;
    private const ushort DosDate = (0 << 9) | (1 << 5) | 1; // 1980-01-01
    private const ushort Deflated = 8;
    private const ushort Version20 = 20, Version45 = 45;

    private readonly Stream _file;
    private readonly List<Entry> _entries = [];
    private EntryStream? _open;

    /// <summary>Sizes from which zip64 records are written; lowered only by tests, to check them on small files.</summary>
    internal long Zip64Threshold { get; init; } = uint.MaxValue;

    private sealed record Entry(byte[] Name, long Offset, uint Crc, long Compressed, long Uncompressed);

    public ZipPackageWriter(Stream file)
    {
        if (!file.CanSeek) throw new ArgumentException("The workbook is written to a seekable file.", nameof(file));
        _file = file;
    }

    /// <summary>Starts an entry; what is written to the returned stream is deflated into it. Close it
    /// before the next entry. A <paramref name="parallel"/> entry deflates in blocks on
    /// <paramref name="workers"/> threads (default: one per processor) and may grow past 4 GiB.</summary>
    public Stream CreateEntry(string name, CompressionLevel level, bool parallel = false, int? workers = null)
    {
        if (_open is not null) throw new InvalidOperationException("The previous zip entry is still open.");
        var entryName = Encoding.UTF8.GetBytes(name);
        var offset = _file.Position;
        Span<byte> header = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(header, LocalHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 0); // flags: sizes are in this header, names are ASCII
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], Deflated);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0); // time 00:00
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], DosDate);
        // [14..26): CRC-32 and sizes, filled in when the entry is closed
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], (ushort)entryName.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)(parallel ? 20 : 0));
        _file.Write(header);
        _file.Write(entryName);
        if (parallel)
        {
            Span<byte> reserved = stackalloc byte[20];
            BinaryPrimitives.WriteUInt16LittleEndian(reserved, ReservedTag);
            BinaryPrimitives.WriteUInt16LittleEndian(reserved[2..], 16);
            _file.Write(reserved);
        }
        Stream deflate = parallel
            ? new ParallelDeflateStream(_file, level, workers ?? Environment.ProcessorCount)
            : new DeflateStream(_file, level, leaveOpen: true);
        return _open = new EntryStream(this, entryName, offset, parallel, deflate);
    }

    /// <summary>Writes the central directory; the caller flushes and closes the file.</summary>
    public void Finish()
    {
        if (_open is not null) throw new InvalidOperationException("A zip entry is still open.");
        var start = _file.Position;
        foreach (var entry in _entries) WriteCentralHeader(entry);
        var size = _file.Position - start;
        if (start >= Zip64Threshold || _entries.Count >= ushort.MaxValue)
            WriteZip64End(start, size);
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, EndSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)Math.Min(_entries.Count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)Math.Min(_entries.Count, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)Math.Min(size, uint.MaxValue));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], start >= Zip64Threshold ? uint.MaxValue : (uint)start);
        _file.Write(end);
    }

    private void Close(EntryStream stream, uint crc, long uncompressed)
    {
        var end = _file.Position;
        var dataStart = stream.Offset + 30 + stream.Name.Length + (stream.Large ? 20 : 0);
        var entry = new Entry(stream.Name, stream.Offset, crc, end - dataStart, uncompressed);
        var zip64 = entry.Uncompressed >= Zip64Threshold || entry.Compressed >= Zip64Threshold;
        if (zip64 && !stream.Large)
            throw new IOException($"The workbook part {Encoding.UTF8.GetString(stream.Name)} is larger than 4 GiB.");
        Span<byte> fields = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(fields, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[4..], zip64 ? uint.MaxValue : (uint)entry.Compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(fields[8..], zip64 ? uint.MaxValue : (uint)entry.Uncompressed);
        _file.Position = entry.Offset + 14;
        _file.Write(fields);
        if (zip64)
        {
            Span<byte> version = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(version, Version45);
            _file.Position = entry.Offset + 4;
            _file.Write(version);
            Span<byte> extra = stackalloc byte[20];
            BinaryPrimitives.WriteUInt16LittleEndian(extra, Zip64Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], 16);
            BinaryPrimitives.WriteInt64LittleEndian(extra[4..], entry.Uncompressed);
            BinaryPrimitives.WriteInt64LittleEndian(extra[12..], entry.Compressed);
            _file.Position = entry.Offset + 30 + entry.Name.Length;
            _file.Write(extra);
        }
        _file.Position = end;
        _entries.Add(entry);
        _open = null;
    }

    private void WriteCentralHeader(Entry entry)
    {
        var bigUncompressed = entry.Uncompressed >= Zip64Threshold;
        var bigCompressed = entry.Compressed >= Zip64Threshold;
        var bigOffset = entry.Offset >= Zip64Threshold;
        var zip64 = bigUncompressed || bigCompressed || bigOffset;
        var extraLength = zip64 ? 4 + 8 * ((bigUncompressed || bigCompressed ? 2 : 0) + (bigOffset ? 1 : 0)) : 0;
        Span<byte> header = stackalloc byte[46];
        BinaryPrimitives.WriteUInt32LittleEndian(header, CentralHeaderSignature);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], zip64 ? Version45 : Version20); // made by: MS-DOS
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], zip64 ? Version45 : Version20);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], Deflated);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], DosDate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], entry.Crc);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], bigUncompressed || bigCompressed ? uint.MaxValue : (uint)entry.Compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], bigUncompressed || bigCompressed ? uint.MaxValue : (uint)entry.Uncompressed);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], (ushort)entry.Name.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(header[30..], (ushort)extraLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[42..], bigOffset ? uint.MaxValue : (uint)entry.Offset);
        _file.Write(header);
        _file.Write(entry.Name);
        if (!zip64) return;
        // Zip64 fields appear in this fixed order, only for the header fields set to 0xFFFFFFFF.
        Span<byte> extra = stackalloc byte[28];
        BinaryPrimitives.WriteUInt16LittleEndian(extra, Zip64Tag);
        BinaryPrimitives.WriteUInt16LittleEndian(extra[2..], (ushort)(extraLength - 4));
        var at = 4;
        if (bigUncompressed || bigCompressed)
        {
            BinaryPrimitives.WriteInt64LittleEndian(extra[at..], entry.Uncompressed);
            BinaryPrimitives.WriteInt64LittleEndian(extra[(at + 8)..], entry.Compressed);
            at += 16;
        }
        if (bigOffset) BinaryPrimitives.WriteInt64LittleEndian(extra[at..], entry.Offset);
        _file.Write(extra[..extraLength]);
    }

    private void WriteZip64End(long start, long size)
    {
        var recordOffset = _file.Position;
        Span<byte> record = stackalloc byte[56 + 20];
        BinaryPrimitives.WriteUInt32LittleEndian(record, Zip64EndSignature);
        BinaryPrimitives.WriteInt64LittleEndian(record[4..], 44); // size of the rest of this record
        BinaryPrimitives.WriteUInt16LittleEndian(record[12..], Version45);
        BinaryPrimitives.WriteUInt16LittleEndian(record[14..], Version45);
        BinaryPrimitives.WriteInt64LittleEndian(record[24..], _entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record[32..], _entries.Count);
        BinaryPrimitives.WriteInt64LittleEndian(record[40..], size);
        BinaryPrimitives.WriteInt64LittleEndian(record[48..], start);
        var locator = record[56..];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, Zip64LocatorSignature);
        BinaryPrimitives.WriteInt64LittleEndian(locator[8..], recordOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(locator[16..], 1); // disks
        _file.Write(record);
    }

    /// <summary>One entry's uncompressed bytes: counted and CRC'd here, deflated on.</summary>
    private sealed class EntryStream(ZipPackageWriter zip, byte[] name, long offset, bool large, Stream deflate) : Stream
    {
        private readonly Crc32 _crc = new();
        private long _length;
        private bool _closed;

        public byte[] Name => name;
        public long Offset => offset;
        public bool Large => large;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _crc.Append(buffer);
            _length += buffer.Length;
            deflate.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush() { } // the entry is complete only at Dispose

        /// <summary>Finishes the deflate stream and fills in the entry's header. After a failure the
        /// deflate stream's error propagates and the header stays unfinished (the file is deleted).</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                deflate.Dispose();
                zip.Close(this, _crc.GetCurrentHashAsUInt32(), _length);
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
