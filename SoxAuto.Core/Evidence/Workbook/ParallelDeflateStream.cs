using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Runtime.ExceptionServices;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// One raw deflate stream, compressed in independent blocks on several threads, as pigz does: the
/// bytes are cut into blocks of <see cref="BlockBytes"/> (fixed by byte count, so the cuts do not depend
/// on timing); each block is deflated on its own, ending with a sync flush (an empty stored block, so
/// the next block starts on a byte boundary), the last with the final-block bit; the blocks are written
/// to the target in their order by the writing thread. The same bytes give the same stream whatever
/// the number of workers or their timing. At most <see cref="BlocksInFlight"/> blocks per worker wait or
/// are being compressed, so memory stays bounded; their arrays come from a pool and go back.
/// The compressing threads are the process's, started once and shared by every sheet and run, so
/// several runs at once do not start threads of their own to compete for the same cores.
/// Each block starts without the previous block's 32 KiB as its dictionary (.NET's deflater cannot be
/// given one), which costs a few bytes per block.
/// </summary>
internal sealed class ParallelDeflateStream : Stream
{
    public const int BlockBytes = 1 << 19;
    private const int BlocksInFlight = 2;

    // What a deflater writes for an empty final block (fixed Huffman codes, end of block at once):
    // .NET's DeflateStream writes nothing at all when given no bytes.
    private static readonly byte[] EmptyFinalBlock = [0x03, 0x00];

    private static readonly BlockingCollection<Block> Work = new();

    // The blocks' arrays come from a pool of their own, not the shared one: taken on one thread and given
    // back on another, the shared pool's per-core stores kept more and more of them, and a 5M-row pass's
    // resident set rose by about 3 MB while the rows went by (docs/performance.md, "Fourth look").
    private static readonly ArrayPool<byte> Arrays = ArrayPool<byte>.Create(1 << 20, 16);
    private static readonly Lock Starting = new();
    private static int _workerThreads;

    private readonly Stream _target;
    private readonly CompressionLevel _level;
    private readonly int _blockBytes;
    private readonly int _inFlight;
    private readonly Queue<Block> _written = new(); // blocks handed out, in stream order
    private byte[] _input;
    private int _used;
    private Exception? _failure;
    private bool _closed;

    private sealed class Block(byte[] input, int length, bool last, CompressionLevel level)
    {
        public byte[] Input { get; } = input;
        public CompressionLevel Level { get; } = level;
        public int Length { get; } = length;
        public bool Last { get; } = last;
        public byte[]? Output { get; set; }
        public int OutputLength { get; set; }
        public Exception? Failure { get; set; }
        public ManualResetEventSlim Done { get; } = new();
    }

    /// <param name="target">Receives the compressed stream, written on the caller's thread; left open.</param>
    /// <param name="workers">Threads that compress this stream's blocks at once (at least 1); the process
    /// keeps at least this many.</param>
    /// <param name="blockBytes">Bytes per block; smaller only in tests.</param>
    public ParallelDeflateStream(Stream target, CompressionLevel level, int workers, int blockBytes = BlockBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 1);
        _target = target;
        _level = level;
        _blockBytes = blockBytes;
        _inFlight = workers * BlocksInFlight;
        _input = Arrays.Rent(blockBytes);
        lock (Starting)
        {
            for (; _workerThreads < workers; _workerThreads++)
                new Thread(Compress) { IsBackground = true, Name = "evidence workbook deflate" }.Start();
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _blockBytes - _used);
            buffer[..n].CopyTo(_input.AsSpan(_used));
            _used += n;
            buffer = buffer[n..];
            if (_used == _blockBytes) Hand(last: false);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Flush() { } // the stream is complete only at Dispose

    /// <summary>Compresses what is left as the final block and writes every block. After a failure it
    /// still waits for the blocks handed out, so nothing of this stream runs after the pass has ended.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            try
            {
                if (_failure is null)
                {
                    Hand(last: true);
                    while (_written.Count > 0) WriteOldest();
                }
            }
            finally
            {
                foreach (var block in _written)
                {
                    block.Done.Wait();
                    Release(block);
                }
                _written.Clear();
                if (_input.Length > 0) Arrays.Return(_input);
                _input = [];
            }
            _target.Flush();
        }
        base.Dispose(disposing);
    }

    private void Hand(bool last)
    {
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
        var block = new Block(_input, _used, last, _level);
        _input = last ? [] : Arrays.Rent(_blockBytes);
        _used = 0;
        while (_written.Count >= _inFlight) WriteOldest();
        _written.Enqueue(block);
        Work.Add(block);
        while (_written.Count > 0 && _written.Peek().Done.IsSet) WriteOldest();
    }

    /// <summary>Waits for the oldest block and writes it on: the stream's order is the blocks' order.</summary>
    private void WriteOldest()
    {
        var block = _written.Peek();
        block.Done.Wait();
        _written.Dequeue();
        try
        {
            if (block.Failure is not null) _failure = block.Failure;
            else _target.Write(block.Output!, 0, block.OutputLength);
        }
        catch (Exception e)
        {
            _failure = e; // e.g. the disk is full: the same IOException, at once and at Dispose
        }
        finally
        {
            Release(block);
        }
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private static void Compress()
    {
        using var output = new MemoryStream();
        foreach (var block in Work.GetConsumingEnumerable())
        {
            try
            {
                var bytes = Deflate(block, output);
                block.Output = Arrays.Rent(Math.Max(bytes.Length, 1));
                bytes.CopyTo(block.Output);
                block.OutputLength = bytes.Length;
            }
            catch (Exception e)
            {
                block.Failure = e;
            }
            block.Done.Set();
        }
    }

    /// <summary>One block as raw deflate: ended by a sync flush, or for the last one by the final block.</summary>
    private static ReadOnlySpan<byte> Deflate(Block block, MemoryStream output)
    {
        output.SetLength(0);
        if (block.Last && block.Length == 0) return EmptyFinalBlock;
        var deflate = new DeflateStream(output, block.Level, leaveOpen: true);
        deflate.Write(block.Input, 0, block.Length);
        if (block.Last)
        {
            deflate.Dispose();
            return output.GetBuffer().AsSpan(0, (int)output.Length);
        }
        deflate.Flush(); // a sync flush: byte-aligned, not final
        var length = (int)output.Length;
        deflate.Dispose(); // appends a final empty block, which is not part of this stream
        return output.GetBuffer().AsSpan(0, length);
    }

    private static void Release(Block block)
    {
        if (block.Input.Length > 0) Arrays.Return(block.Input);
        if (block.Output is not null) Arrays.Return(block.Output);
        block.Output = null;
        // Done is not disposed: its Set may still be returning on the worker (it holds no kernel handle).
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
