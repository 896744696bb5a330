using System.Text;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>An extract in Athena's dialect produced row by row as it is read, so that a test of a
/// million rows holds no more than one chunk of it in memory (a string of it would distort the
/// memory the test measures).</summary>
public sealed class SyntheticExtract(string header, long rows, Func<long, string> row) : Stream
{
    private readonly byte[] _chunk = new byte[1 << 16];
    private int _offset, _length;
    private long _next; // 0 = the header, then data rows 1..rows

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_offset == _length && !Refill()) return 0;
        var n = Math.Min(buffer.Length, _length - _offset);
        _chunk.AsSpan(_offset, n).CopyTo(buffer);
        _offset += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        => ValueTask.FromResult(Read(buffer.Span));

    private bool Refill()
    {
        _offset = _length = 0;
        while (_next <= rows)
        {
            var line = _next == 0 ? header + "\n" : row(_next) + "\n";
            if (Encoding.UTF8.GetMaxByteCount(line.Length) > _chunk.Length - _length)
            {
                if (_length == 0) throw new InvalidOperationException("A synthetic row is longer than the chunk.");
                break;
            }
            _length += Encoding.UTF8.GetBytes(line, _chunk.AsSpan(_length));
            _next++;
        }
        return _length > 0;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
