using System.Buffers;
using System.Globalization;

namespace SoxAuto.Core.Extract;

/// <summary>
/// Reads Athena's CSV dialect: UTF-8, a header row, every non-NULL value quoted with <c>"</c> doubled
/// inside, NULL an empty unquoted field, <c>\n</c> line ends. General CSV libraries turn both NULL
/// and "" into an empty string, which would erase a difference the checks need (docs/decisions).
/// A row's values stay valid until the next <see cref="ReadRowAsync"/>.
/// </summary>
public sealed class AthenaCsvReader : IExtractRow
{
    /// <summary>A row longer than this is refused: it is almost always an unterminated quote, and
    /// buffering it whole would defeat the flat memory of the evidence pass.</summary>
    public const int DefaultMaxRowBytes = 32 * 1024 * 1024;

    private static readonly SearchValues<byte> UnquotedStop = SearchValues.Create(",\n\"\r"u8);

    private readonly Stream _source;
    private readonly int _maxRowBytes;
    private byte[] _buffer;
    private int _rowStart;      // first byte of the next row to parse
    private int _end;           // bytes held in _buffer
    private long _discarded;    // bytes before _buffer[0], for error offsets
    private bool _eof;

    // Values with doubled quotes are copied, unquoted, here; the others point into _buffer.
    private byte[] _unquoted = new byte[1024];
    private int _unquotedLength;

    private int[] _start = new int[16];
    private int[] _length = new int[16];
    private byte[] _where = new byte[16]; // 0 NULL, 1 in _buffer, 2 in _unquoted
    private int _count;
    private int _expected = -1;

    public AthenaCsvReader(Stream source, int bufferBytes = 1 << 20, int maxRowBytes = DefaultMaxRowBytes)
    {
        _source = source;
        _maxRowBytes = maxRowBytes;
        _buffer = new byte[Math.Max(bufferBytes, 64)];
    }

    /// <summary>Data rows read so far (the header is not counted).</summary>
    public long DataRows { get; private set; }

    public int FieldCount => _count;

    public bool IsNull(int column) => _where[column] == 0;

    public ReadOnlySpan<byte> Value(int column) => _where[column] switch
    {
        1 => _buffer.AsSpan(_start[column], _length[column]),
        2 => _unquoted.AsSpan(_start[column], _length[column]),
        _ => default,
    };

    /// <summary>Reads the header row; every data row must then have as many values.</summary>
    public async ValueTask<string[]> ReadHeaderAsync(CancellationToken ct)
    {
        if (_expected >= 0) throw new InvalidOperationException("The header was already read.");
        if (!await NextRowAsync(ct)) throw new InvalidDataException("The extract is empty: it has no header row.");
        var names = new string[_count];
        for (var i = 0; i < _count; i++)
            names[i] = this.Text(i) ?? throw Malformed($"column {i + 1} of the header has no name (NULL)", 0);
        _expected = _count;
        return names;
    }

    /// <summary>Reads the next data row; false at the end of the extract.</summary>
    public async ValueTask<bool> ReadRowAsync(CancellationToken ct)
    {
        if (_expected < 0) throw new InvalidOperationException("Read the header first.");
        if (!await NextRowAsync(ct)) return false;
        DataRows++;
        return true;
    }

    private async ValueTask<bool> NextRowAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_rowStart == _end)
            {
                if (_eof) return false;
                await FillAsync(ct);
                continue;
            }
            if (TryParseRow(out var next))
            {
                _rowStart = next;
                return true;
            }
            await FillAsync(ct); // the row runs past the bytes held: read more and parse it again
        }
    }

    /// <summary>Keeps the unfinished row, then reads until the buffer is full or the source ends.</summary>
    private async ValueTask FillAsync(CancellationToken ct)
    {
        var kept = _end - _rowStart;
        if (_rowStart > 0)
        {
            Buffer.BlockCopy(_buffer, _rowStart, _buffer, 0, kept);
            _discarded += _rowStart;
            _rowStart = 0;
            _end = kept;
        }
        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _maxRowBytes)
                throw Malformed(string.Create(CultureInfo.InvariantCulture, $"a row is longer than {_maxRowBytes:N0} bytes (most likely an unterminated quote)"), 0);
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, _maxRowBytes));
        }
        while (_end < _buffer.Length)
        {
            var n = await _source.ReadAsync(_buffer.AsMemory(_end), ct);
            if (n == 0)
            {
                _eof = true;
                return;
            }
            _end += n;
        }
    }

    /// <summary>Parses one row from <see cref="_rowStart"/>. False when the bytes held end inside the
    /// row and more may come; at the end of the source a row either completes or is malformed.</summary>
    private bool TryParseRow(out int next)
    {
        next = 0;
        var buf = _buffer;
        var end = _end;
        var p = _rowStart;
        _count = 0;
        _unquotedLength = 0;
        while (true)
        {
            // At the start of a value.
            if (p == end)
            {
                if (!_eof) return false;
                AddField(0, 0, 0, p); // the source ends right after a comma: a last NULL
                return CompleteRow(p, out next);
            }
            var c = buf[p];
            if (c == (byte)'"')
            {
                var q = p + 1;
                var segment = q;
                var copied = false;
                int close;
                while (true)
                {
                    var i = buf.AsSpan(q, end - q).IndexOf((byte)'"');
                    if (i < 0)
                    {
                        if (_eof) throw Malformed("a quoted value is not terminated (the extract ends inside quotes)", p);
                        return false;
                    }
                    q += i;
                    if (q + 1 == end && !_eof) return false; // cannot yet tell "" from a closing quote
                    if (q + 1 < end && buf[q + 1] == (byte)'"')
                    {
                        if (!copied) { copied = true; BeginUnquoted(); }
                        AppendUnquoted(buf.AsSpan(segment, q + 1 - segment)); // keep one quote
                        q += 2;
                        segment = q;
                        continue;
                    }
                    close = q;
                    break;
                }
                if (copied)
                {
                    var from = _fieldUnquotedStart;
                    AppendUnquoted(buf.AsSpan(segment, close - segment));
                    AddField(2, from, _unquotedLength - from, p);
                }
                else
                {
                    AddField(1, p + 1, close - p - 1, p);
                }
                p = close + 1;
            }
            else if (c == (byte)',' || c == (byte)'\n')
            {
                AddField(0, 0, 0, p); // empty and unquoted: NULL
            }
            else
            {
                // Athena quotes every value, but a plain unquoted value (e.g. a header name) is read as itself.
                var i = buf.AsSpan(p, end - p).IndexOfAny(UnquotedStop);
                if (i < 0)
                {
                    if (!_eof) return false;
                    i = end - p;
                }
                else if (buf[p + i] == (byte)'"')
                {
                    throw Malformed("a quote appears inside an unquoted value", p + i);
                }
                else if (buf[p + i] == (byte)'\r')
                {
                    throw Malformed("a carriage return outside quotes (the dialect ends lines with \\n only)", p + i);
                }
                AddField(1, p, i, p);
                p += i;
            }

            // After a value: a comma, the end of the line, or the end of the source.
            if (p == end)
            {
                if (!_eof) return false;
                return CompleteRow(p, out next);
            }
            var d = buf[p];
            if (d == (byte)',') { p++; continue; }
            if (d == (byte)'\n') return CompleteRow(p + 1, out next);
            throw Malformed(d == (byte)'\r'
                ? "a carriage return after a value (the dialect ends lines with \\n only)"
                : "unexpected text after a closing quote", p);
        }
    }

    private bool CompleteRow(int next, out int nextRow)
    {
        if (_expected >= 0 && _count != _expected)
            throw Malformed($"the row has {_count} values but the header has {_expected} columns", _rowStart);
        nextRow = next;
        return true;
    }

    private void AddField(byte where, int start, int length, int at)
    {
        if (_expected >= 0 && _count == _expected)
            throw Malformed($"the row has more values than the header's {_expected} columns", at);
        if (_count == _start.Length)
        {
            Array.Resize(ref _start, _count * 2);
            Array.Resize(ref _length, _count * 2);
            Array.Resize(ref _where, _count * 2);
        }
        _where[_count] = where;
        _start[_count] = start;
        _length[_count] = length;
        _count++;
    }

    private int _fieldUnquotedStart;

    private void BeginUnquoted() => _fieldUnquotedStart = _unquotedLength;

    private void AppendUnquoted(ReadOnlySpan<byte> bytes)
    {
        if (_unquotedLength + bytes.Length > _unquoted.Length)
            Array.Resize(ref _unquoted, Math.Max(_unquoted.Length * 2, _unquotedLength + bytes.Length));
        bytes.CopyTo(_unquoted.AsSpan(_unquotedLength));
        _unquotedLength += bytes.Length;
    }

    private InvalidDataException Malformed(string what, int bufferOffset)
    {
        var where = _expected < 0 ? "in the header row" : string.Create(CultureInfo.InvariantCulture, $"at data row {DataRows + 1:N0}");
        return new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"The extract is not valid Athena CSV {where} (byte {_discarded + bufferOffset:N0}): {what}."));
    }
}
