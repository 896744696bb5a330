using System.Security.Cryptography;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// Reads the engine's bytes and, on the way through, hashes them and writes them to the stored
/// extract (each when asked for). Whoever reads through it (the CSV reader) therefore sees exactly the
/// bytes that are hashed and stored: one pass, three uses.
/// </summary>
internal sealed class ExtractTee(Stream engineBytes, bool hash, Stream? storedExtract) : Stream
{
    private readonly IncrementalHash? _sha256 = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;

    /// <summary>Bytes delivered so far.</summary>
    public long Bytes { get; private set; }

    /// <summary>The SHA-256 of every byte delivered, lowercase hex (null when not hashing). Call once, at the end.</summary>
    public string? Sha256Hex() => _sha256 is null ? null : Convert.ToHexStringLower(_sha256.GetHashAndReset());

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await engineBytes.ReadAsync(buffer, ct);
        if (n > 0)
        {
            _sha256?.AppendData(buffer.Span[..n]);
            if (storedExtract is not null) await storedExtract.WriteAsync(buffer[..n], ct);
            Bytes += n;
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct)
        => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = engineBytes.Read(buffer, offset, count);
        if (n > 0)
        {
            _sha256?.AppendData(buffer, offset, n);
            storedExtract?.Write(buffer, offset, n);
            Bytes += n;
        }
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _sha256?.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => Bytes; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
