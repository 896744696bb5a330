using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// Hands written bytes, in blocks, to a second thread that writes them on (into a zip entry, where
/// compressing is the costliest step of the pass), so that compressing overlaps with parsing and
/// XML writing. At most <see cref="BlocksInFlight"/> blocks wait, so memory stays bounded.
/// </summary>
internal sealed class BackgroundWriteStream : Stream
{
    private const int BlockBytes = 1 << 20;
    private const int BlocksInFlight = 4;

    private readonly Stream _target;
    private readonly BlockingCollection<(byte[] Block, int Length)> _queue = new(BlocksInFlight);
    private readonly ConcurrentBag<byte[]> _spare = [];
    private readonly Thread _writer;
    private byte[] _block = new byte[BlockBytes];
    private int _used;
    private volatile Exception? _failure;
    private bool _closed;

    public BackgroundWriteStream(Stream target)
    {
        _target = target;
        _writer = new Thread(WriteBlocks) { IsBackground = true, Name = "evidence workbook writer" };
        _writer.Start();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, BlockBytes - _used);
            buffer[..n].CopyTo(_block.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == BlockBytes) Hand();
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() { } // blocks go when full or at Dispose; the target is flushed then

    /// <summary>Writes what is left, waits for the second thread, and closes the target. After a
    /// failure elsewhere it still waits (so nothing writes to the file after the pass has ended).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            try
            {
                if (_failure is null && _used > 0) Hand();
            }
            finally
            {
                _queue.CompleteAdding();
                _writer.Join();
                _queue.Dispose();
            }
            _target.Dispose();
            if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
        }
        base.Dispose(disposing);
    }

    private void Hand()
    {
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure); // e.g. the disk is full: the same IOException
        _queue.Add((_block, _used));
        _block = _spare.TryTake(out var spare) ? spare : new byte[BlockBytes];
        _used = 0;
    }

    private void WriteBlocks()
    {
        foreach (var (block, length) in _queue.GetConsumingEnumerable())
        {
            if (_failure is null)
            {
                try { _target.Write(block, 0, length); }
                catch (Exception e) { _failure = e; } // reported to the writing thread at its next block
            }
            _spare.Add(block);
        }
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
