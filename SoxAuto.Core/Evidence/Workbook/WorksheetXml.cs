using System.Globalization;
using System.Text;
using System.Xml;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// Writes one worksheet part as SpreadsheetML, row by row, straight into its zip entry (constant
/// memory). Cells carry their reference (<c>r="B7"</c>) because a NULL writes no cell at all. Text is
/// always an inline string, never a formula, whatever its first character.
/// The XmlWriter writes the document and escapes and encodes every text; the fixed markup of rows
/// and cells is built here and handed to it raw, because eight XmlWriter calls per cell made them
/// the slowest step of the whole pass (docs/decisions/workbook-writer.md).
/// </summary>
internal sealed class WorksheetXml : IDisposable
{
    public const string MainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    // CheckCharacters is off because CellText already made every text valid; Entitize keeps a
    // carriage return inside a value (\r would otherwise be normalised away when read back).
    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        CheckCharacters = false,
        NewLineHandling = NewLineHandling.Entitize,
        CloseOutput = false,
    };

    private static readonly string[] StyleIds = Enumerable.Range(0, 256).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private readonly Stream _part;
    private readonly XmlWriter _x;
    private readonly string[] _letters;
    private readonly char[] _rowText = new char[24];
    private int _rowDigits;
    private char[] _raw = new char[32_768]; // markup not yet handed to the XmlWriter
    private int _rawLength;
    private char[] _chars = new char[4096];
    private char[] _escaped = new char[4096];

    /// <param name="widths">Column widths in characters, one per column.</param>
    /// <param name="freezeHeader">Keep row 1 visible while scrolling.</param>
    public WorksheetXml(Stream part, IReadOnlyList<double> widths, bool freezeHeader, bool selected = false)
    {
        _part = part;
        _x = XmlWriter.Create(part, Settings);
        _letters = Enumerable.Range(0, widths.Count).Select(ColumnName).ToArray();
        _x.WriteStartDocument(true);
        _x.WriteStartElement("worksheet", MainNs);
        _x.WriteStartElement("sheetViews");
        _x.WriteStartElement("sheetView");
        if (selected) _x.WriteAttributeString("tabSelected", "1");
        _x.WriteAttributeString("workbookViewId", "0");
        if (freezeHeader)
        {
            _x.WriteStartElement("pane");
            _x.WriteAttributeString("ySplit", "1");
            _x.WriteAttributeString("topLeftCell", "A2");
            _x.WriteAttributeString("activePane", "bottomLeft");
            _x.WriteAttributeString("state", "frozen");
            _x.WriteEndElement();
            _x.WriteStartElement("selection");
            _x.WriteAttributeString("pane", "bottomLeft");
            _x.WriteEndElement();
        }
        _x.WriteEndElement();
        _x.WriteEndElement();
        if (widths.Count > 0)
        {
            _x.WriteStartElement("cols");
            for (var i = 0; i < widths.Count; i++)
            {
                _x.WriteStartElement("col");
                var n = (i + 1).ToString(CultureInfo.InvariantCulture);
                _x.WriteAttributeString("min", n);
                _x.WriteAttributeString("max", n);
                _x.WriteAttributeString("width", widths[i].ToString("0.##", CultureInfo.InvariantCulture));
                _x.WriteAttributeString("customWidth", "1");
                _x.WriteEndElement();
            }
            _x.WriteEndElement();
        }
        _x.WriteStartElement("sheetData");
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
        _rowDigits = 0;
        Raw("<row r=\"");
        number.TryFormat(_rowText, out _rowDigits, default, CultureInfo.InvariantCulture);
        Raw(_rowText.AsSpan(0, _rowDigits));
        Raw("\">");
    }

    public void EndRow()
    {
        Raw("</row>");
        if (_rawLength > 16_384) FlushRaw();
    }

    /// <summary>A number cell; <paramref name="value"/> must already be a valid xsd:double lexical.</summary>
    public void Number(int column, ReadOnlySpan<char> value, int style = 0)
    {
        StartCell(column, style, null);
        Raw("<v>");
        Raw(value);
        Raw("</v></c>");
    }

    /// <summary>A number cell from ASCII digits as the extract holds them.</summary>
    public void Number(int column, ReadOnlySpan<byte> ascii, int style = 0)
    {
        StartCell(column, style, null);
        Raw("<v>");
        EnsureRaw(ascii.Length);
        _rawLength += Encoding.Latin1.GetChars(ascii, _raw.AsSpan(_rawLength));
        Raw("</v></c>");
    }

    public void Number(int column, double value, int style = 0)
    {
        StartCell(column, style, null);
        Raw("<v>");
        EnsureRaw(32);
        value.TryFormat(_raw.AsSpan(_rawLength), out var n, "R", CultureInfo.InvariantCulture);
        _rawLength += n;
        Raw("</v></c>");
    }

    public void Number(int column, long value, int style = 0)
    {
        StartCell(column, style, null);
        Raw("<v>");
        EnsureRaw(20);
        value.TryFormat(_raw.AsSpan(_rawLength), out var n, default, CultureInfo.InvariantCulture);
        _rawLength += n;
        Raw("</v></c>");
    }

    public void Boolean(int column, bool value)
    {
        StartCell(column, 0, "b");
        Raw(value ? "<v>1</v></c>" : "<v>0</v></c>");
    }

    /// <summary>A text cell; returns true when the text had to be cut to Excel's limit.</summary>
    public bool Text(int column, string value, int style = 0)
    {
        EnsureChars(value.Length);
        value.CopyTo(_chars);
        return InlineString(column, value.Length, style);
    }

    /// <summary>A text cell from the extract's UTF-8 bytes (invalid UTF-8 shows as U+FFFD).</summary>
    public bool Utf8Text(int column, ReadOnlySpan<byte> utf8, int style = 0)
    {
        EnsureChars(utf8.Length);
        var n = Encoding.UTF8.GetChars(utf8, _chars);
        return InlineString(column, n, style);
    }

    /// <summary>Closes the sheet data; adds an autofilter over <paramref name="autoFilterRange"/> if given.</summary>
    public void Finish(string? autoFilterRange)
    {
        FlushRaw();
        _x.WriteEndElement(); // sheetData
        if (autoFilterRange is not null)
        {
            _x.WriteStartElement("autoFilter");
            _x.WriteAttributeString("ref", autoFilterRange);
            _x.WriteEndElement();
        }
        _x.WriteEndElement(); // worksheet
        _x.WriteEndDocument();
        _x.Flush();
    }

    /// <summary>Closes the writer and the part's stream (which completes the zip entry).</summary>
    public void Dispose()
    {
        _x.Dispose();
        _part.Dispose();
    }

    /// <summary>The text goes through XmlWriter, which escapes and encodes it; the fixed markup
    /// around it is raw.</summary>
    private bool InlineString(int column, int length, int style)
    {
        var text = CellText.Escape(_chars.AsSpan(0, length), ref _escaped, out var truncated);
        StartCell(column, style, "inlineStr");
        if (text.Length == 0)
        {
            Raw("<is><t></t></is></c>");
            return truncated;
        }
        Raw(IsSpace(text[0]) || IsSpace(text[^1]) ? "<is><t xml:space=\"preserve\">" : "<is><t>");
        FlushRaw();
        if (text.Overlaps(_chars)) _x.WriteChars(_chars, 0, text.Length);
        else _x.WriteChars(_escaped, 0, text.Length);
        Raw("</t></is></c>");
        return truncated;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private void StartCell(int column, int style, string? type)
    {
        Raw("<c r=\"");
        Raw(_letters[column]);
        Raw(_rowText.AsSpan(0, _rowDigits));
        if (style != 0)
        {
            Raw("\" s=\"");
            Raw(StyleIds[style]);
        }
        if (type is not null)
        {
            Raw("\" t=\"");
            Raw(type);
        }
        Raw("\">");
    }

    private void Raw(ReadOnlySpan<char> markup)
    {
        EnsureRaw(markup.Length);
        markup.CopyTo(_raw.AsSpan(_rawLength));
        _rawLength += markup.Length;
    }

    private void FlushRaw()
    {
        if (_rawLength == 0) return;
        _x.WriteRaw(_raw, 0, _rawLength);
        _rawLength = 0;
    }

    private void EnsureRaw(int more)
    {
        if (_rawLength + more > _raw.Length) Array.Resize(ref _raw, Math.Max(_raw.Length * 2, _rawLength + more));
    }

    private void EnsureChars(int length)
    {
        if (_chars.Length < length) _chars = new char[Math.Max(length, _chars.Length * 2)];
    }
}
