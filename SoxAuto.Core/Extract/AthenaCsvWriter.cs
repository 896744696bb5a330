using System.Text;

namespace SoxAuto.Core.Extract;

/// <summary>
/// Writes CSV exactly as Athena writes query results to S3: UTF-8 without BOM, a header row with every
/// name quoted, every non-NULL value quoted with <c>"</c> doubled inside, NULL as an empty unquoted
/// field, the empty string as <c>""</c>, and <c>\n</c> after every row (the last one too).
/// Values arrive already formatted as Athena prints them (see <see cref="AthenaValueText"/>);
/// this class only frames them, so the Athena engine can reuse it for GetQueryResults pages.
/// </summary>
public sealed class AthenaCsvWriter : IDisposable, IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly StreamWriter _out;
    private bool _rowStarted;

    public AthenaCsvWriter(Stream output, bool leaveOpen = false)
    {
        _out = new StreamWriter(output, Utf8NoBom, bufferSize: 1 << 16, leaveOpen) { NewLine = "\n", AutoFlush = false };
    }

    public long Rows { get; private set; }

    public void WriteHeader(IEnumerable<string> columnNames)
    {
        foreach (var name in columnNames) WriteField(name.AsSpan());
        EndRow();
        Rows = 0; // the header is not a data row
    }

    public void WriteRow(IEnumerable<string?> values)
    {
        foreach (var v in values)
        {
            if (v is null) WriteNull();
            else WriteField(v.AsSpan());
        }
        EndRow();
    }

    public void WriteNull() => Separator();

    public void WriteField(string value) => WriteField(value.AsSpan());

    public void WriteField(ReadOnlySpan<char> value)
    {
        Separator();
        _out.Write('"');
        int quote;
        while ((quote = value.IndexOf('"')) >= 0)
        {
            _out.Write(value[..(quote + 1)]);
            _out.Write('"');
            value = value[(quote + 1)..];
        }
        _out.Write(value);
        _out.Write('"');
    }

    public void EndRow()
    {
        _out.Write('\n');
        _rowStarted = false;
        Rows++;
    }

    public void Flush() => _out.Flush();

    public Task FlushAsync(CancellationToken ct) => _out.FlushAsync(ct);

    private void Separator()
    {
        if (_rowStarted) _out.Write(',');
        _rowStarted = true;
    }

    public void Dispose() => _out.Dispose();

    public ValueTask DisposeAsync() => _out.DisposeAsync();
}
