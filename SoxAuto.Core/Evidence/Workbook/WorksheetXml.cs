using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// Writes one worksheet part as SpreadsheetML, row by row, straight into its zip entry (constant
/// memory). Cells carry their reference (<c>r="B7"</c>) because a NULL writes no cell at all. Text is
/// always an inline string, never a formula, whatever its first character.
/// The part is written as UTF-8 bytes here, not through XmlWriter: a plain value goes from the
/// extract's bytes to the sheet's bytes without becoming a .NET string (decoding and re-encoding every
/// text was a fifth of the pass's processor time, docs/decisions/workbook-writer.md). Text is escaped
/// exactly as XmlWriter escaped it (<c>&amp;amp; &amp;lt; &amp;gt;</c>, and <c>&amp;#xD;</c> so that a
/// carriage return survives being read back): the output is byte for byte the same.
/// </summary>
internal sealed class WorksheetXml : IDisposable
{
    public const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private const int FlushAt = 1 << 16;

    private static readonly SearchValues<byte> Escaped = SearchValues.Create("&<>\r"u8);

    // Extract text holding one of these takes the careful way through CellText: control characters
    // XML cannot carry, and 0xEF (it starts U+FFFE and U+FFFF). So does text with "_x" (it may be a
    // literal _xHHHH_, which needs its underscore escaped).
    private static readonly SearchValues<byte> NeedsCare = SearchValues.Create(BuildNeedsCare());

    private static readonly byte[][] StyleIds = Enumerable.Range(0, 256).Select(i => Ascii(i.ToString(CultureInfo.InvariantCulture))).ToArray();

    private readonly Stream _part;
    private readonly byte[][] _letters;
    private readonly byte[] _rowText = new byte[24];
    private int _rowDigits;
    private byte[] _out = new byte[FlushAt * 2]; // bytes not yet handed to the part
    private int _length;
    private char[] _chars = new char[4096];
    private char[] _escaped = new char[4096];
    private byte[] _utf8 = new byte[4096];

    /// <param name="widths">Column widths in characters, one per column.</param>
    /// <param name="freezeHeader">Keep row 1 visible while scrolling.</param>
    public WorksheetXml(Stream part, IReadOnlyList<double> widths, bool freezeHeader, bool selected = false)
    {
        _part = part;
        _letters = Enumerable.Range(0, widths.Count).Select(i => Ascii(ColumnName(i))).ToArray();
        var head = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>");
        head.Append("<worksheet xmlns=\"").Append(MainNs).Append("\"><sheetViews><sheetView");
        if (selected) head.Append(" tabSelected=\"1\"");
        head.Append(" workbookViewId=\"0\"");
        head.Append(freezeHeader
            ? "><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\" /><selection pane=\"bottomLeft\" /></sheetView>"
            : " />");
        head.Append("</sheetViews>");
        if (widths.Count > 0)
        {
            head.Append("<cols>");
            for (var i = 0; i < widths.Count; i++)
                head.Append(CultureInfo.InvariantCulture, $"<col min=\"{i + 1}\" max=\"{i + 1}\" width=\"{widths[i]:0.##}\" customWidth=\"1\" />");
            head.Append("</cols>");
        }
        head.Append("<sheetData>");
        Markup(head.ToString());
    }

    /// <summary>Excel's column name for a 0-based index: A, B, ... Z, AA, ... XFD.</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
            name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    public void StartRow(long number)
    {
        number.TryFormat(_rowText, out _rowDigits, default, CultureInfo.InvariantCulture);
        Markup("<row r=\""u8);
        Markup(_rowText.AsSpan(0, _rowDigits));
        Markup("\">"u8);
    }

    public void EndRow()
    {
        Markup("</row>"u8);
        if (_length > FlushAt) Flush();
    }

    /// <summary>A number cell from ASCII digits as the extract holds them (a valid xsd:double lexical).</summary>
    public void Number(int column, ReadOnlySpan<byte> ascii, int style = 0)
    {
        StartCell(column, style, null);
        Markup("<v>"u8);
        Markup(ascii);
        Markup("</v></c>"u8);
    }

    public void Number(int column, double value, int style = 0)
    {
        StartCell(column, style, null);
        Markup("<v>"u8);
        Ensure(32);
        value.TryFormat(_out.AsSpan(_length), out var n, "R", CultureInfo.InvariantCulture);
        _length += n;
        Markup("</v></c>"u8);
    }

    public void Number(int column, long value, int style = 0)
    {
        StartCell(column, style, null);
        Markup("<v>"u8);
        Ensure(20);
        value.TryFormat(_out.AsSpan(_length), out var n, default, CultureInfo.InvariantCulture);
        _length += n;
        Markup("</v></c>"u8);
    }

    public void Boolean(int column, bool value)
    {
        StartCell(column, 0, "b"u8);
        Markup(value ? "<v>1</v></c>"u8 : "<v>0</v></c>"u8);
    }

    /// <summary>A text cell; returns true when the text had to be cut to Excel's limit.</summary>
    public bool Text(int column, string value, int style = 0)
    {
        EnsureChars(value.Length);
        value.CopyTo(_chars);
        return CharsText(column, value.Length, style);
    }

    /// <summary>A text cell from the extract's UTF-8 bytes (invalid UTF-8 shows as U+FFFD). Plain
    /// text, the usual case, is copied as it is; the rest is decoded and made safe by CellText.</summary>
    public bool Utf8Text(int column, ReadOnlySpan<byte> utf8, int style = 0)
    {
        // No more bytes than a cell holds characters means no more UTF-16 characters either: nothing to cut.
        if (utf8.Length <= ExcelLimits.CellCharacters && !utf8.ContainsAny(NeedsCare) && utf8.IndexOf("_x"u8) < 0 && Utf8.IsValid(utf8))
        {
            InlineString(column, utf8, style);
            return false;
        }
        EnsureChars(utf8.Length);
        var n = Encoding.UTF8.GetChars(utf8, _chars);
        return CharsText(column, n, style);
    }

    /// <summary>Closes the sheet data; adds an autofilter over <paramref name="autoFilterRange"/> if given.</summary>
    public void Finish(string? autoFilterRange)
    {
        Markup("</sheetData>"u8);
        if (autoFilterRange is not null) Markup($"<autoFilter ref=\"{autoFilterRange}\" />");
        Markup("</worksheet>"u8);
        Flush();
    }

    /// <summary>Closes the part's stream (which completes the zip entry).</summary>
    public void Dispose()
    {
        try { Flush(); }
        finally { _part.Dispose(); } // even after a write failed: the part's compression threads must end
    }

    private bool CharsText(int column, int length, int style)
    {
        var text = CellText.Escape(_chars.AsSpan(0, length), ref _escaped, out var truncated);
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < bytes) _utf8 = new byte[Math.Max(bytes, _utf8.Length * 2)];
        var n = Encoding.UTF8.GetBytes(text, _utf8);
        InlineString(column, _utf8.AsSpan(0, n), style);
        return truncated;
    }

    /// <summary>Text already valid for XML: escaped as XmlWriter does in element content.</summary>
    private void InlineString(int column, ReadOnlySpan<byte> utf8, int style)
    {
        StartCell(column, style, "inlineStr"u8);
        if (utf8.IsEmpty)
        {
            Markup("<is><t></t></is></c>"u8);
            return;
        }
        Markup(IsSpace(utf8[0]) || IsSpace(utf8[^1]) ? "<is><t xml:space=\"preserve\">"u8 : "<is><t>"u8);
        Ensure(utf8.Length * 5); // at worst every byte becomes "&amp;"
        var to = _out.AsSpan(_length);
        var written = 0;
        while (true)
        {
            var next = utf8.IndexOfAny(Escaped);
            var plain = next < 0 ? utf8 : utf8[..next];
            plain.CopyTo(to[written..]);
            written += plain.Length;
            if (next < 0) break;
            var entity = utf8[next] switch
            {
                (byte)'&' => "&amp;"u8,
                (byte)'<' => "&lt;"u8,
                (byte)'>' => "&gt;"u8,
                _ => "&#xD;"u8,
            };
            entity.CopyTo(to[written..]);
            written += entity.Length;
            utf8 = utf8[(next + 1)..];
        }
        _length += written;
        Markup("</t></is></c>"u8);
    }

    private static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r';

    private void StartCell(int column, int style, ReadOnlySpan<byte> type)
    {
        Markup("<c r=\""u8);
        Markup(_letters[column]);
        Markup(_rowText.AsSpan(0, _rowDigits));
        if (style != 0)
        {
            Markup("\" s=\""u8);
            Markup(StyleIds[style]);
        }
        if (!type.IsEmpty)
        {
            Markup("\" t=\""u8);
            Markup(type);
        }
        Markup("\">"u8);
    }

    private void Markup(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_out.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Fixed markup with no user text in it (ASCII).</summary>
    private void Markup(string ascii)
    {
        Ensure(ascii.Length);
        _length += Encoding.ASCII.GetBytes(ascii, _out.AsSpan(_length));
    }

    private void Ensure(int more)
    {
        if (_length + more <= _out.Length) return;
        Flush();
        if (more > _out.Length) _out = new byte[more];
    }

    private void Flush()
    {
        if (_length == 0) return;
        _part.Write(_out, 0, _length);
        _length = 0;
    }

    private void EnsureChars(int length)
    {
        if (_chars.Length < length) _chars = new char[Math.Max(length, _chars.Length * 2)];
    }

    private static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);

    private static byte[] BuildNeedsCare()
    {
        var bytes = new List<byte> { 0xEF };
        for (byte b = 0; b < 0x20; b++)
            if (b is not ((byte)'\t' or (byte)'\n' or (byte)'\r')) bytes.Add(b);
        return bytes.ToArray();
    }
}
