using System.Globalization;
using System.Xml;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>The workbook's cell formats (xl/styles.xml). Dates and timestamps use ISO formats so
/// no reader can mistake day and month; a decimal(p,s) column shows its s decimal places.</summary>
internal sealed class Styles
{
    public const int Plain = 0;
    public const int Bold = 1;
    public const int Date = 2;
    public const int Timestamp = 3;
    public const int Wrapped = 4;

    private const int FirstCustomFormat = 164; // ids below are Excel's built-in formats
    private readonly List<string> _formats = ["yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss.000"];
    private readonly Dictionary<int, int> _decimalStyles = [];

    /// <summary>The style that shows <paramref name="scale"/> decimal places (0 = General).</summary>
    public int ForDecimalScale(int scale)
    {
        if (scale <= 0 || scale > 30) return Plain;
        if (_decimalStyles.TryGetValue(scale, out var style)) return style;
        _formats.Add("0." + new string('0', scale));
        style = Wrapped + _decimalStyles.Count + 1;
        _decimalStyles[scale] = style;
        return style;
    }

    public void Write(XmlWriter x)
    {
        x.WriteStartElement("styleSheet", WorksheetXml.MainNs);

        x.WriteStartElement("numFmts");
        x.WriteAttributeString("count", _formats.Count.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < _formats.Count; i++)
        {
            x.WriteStartElement("numFmt");
            x.WriteAttributeString("numFmtId", (FirstCustomFormat + i).ToString(CultureInfo.InvariantCulture));
            x.WriteAttributeString("formatCode", _formats[i]);
            x.WriteEndElement();
        }
        x.WriteEndElement();

        x.WriteStartElement("fonts");
        x.WriteAttributeString("count", "2");
        Font(x, bold: false);
        Font(x, bold: true);
        x.WriteEndElement();

        x.WriteStartElement("fills");
        x.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            x.WriteStartElement("fill");
            x.WriteStartElement("patternFill");
            x.WriteAttributeString("patternType", pattern);
            x.WriteEndElement();
            x.WriteEndElement();
        }
        x.WriteEndElement();

        x.WriteStartElement("borders");
        x.WriteAttributeString("count", "1");
        x.WriteStartElement("border");
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" })
        {
            x.WriteStartElement(side);
            x.WriteEndElement();
        }
        x.WriteEndElement();
        x.WriteEndElement();

        x.WriteStartElement("cellStyleXfs");
        x.WriteAttributeString("count", "1");
        Xf(x, numFmt: 0, font: 0, inCellXfs: false);
        x.WriteEndElement();

        x.WriteStartElement("cellXfs");
        x.WriteAttributeString("count", (Wrapped + 1 + _decimalStyles.Count).ToString(CultureInfo.InvariantCulture));
        Xf(x, numFmt: 0, font: 0);                      // Plain
        Xf(x, numFmt: 0, font: 1);                      // Bold
        Xf(x, numFmt: FirstCustomFormat, font: 0);      // Date
        Xf(x, numFmt: FirstCustomFormat + 1, font: 0);  // Timestamp
        Xf(x, numFmt: 0, font: 0, wrap: true);          // Wrapped
        foreach (var (_, style) in _decimalStyles.OrderBy(d => d.Value))
            Xf(x, numFmt: FirstCustomFormat + 2 + (style - Wrapped - 1), font: 0);
        x.WriteEndElement();

        x.WriteStartElement("cellStyles");
        x.WriteAttributeString("count", "1");
        x.WriteStartElement("cellStyle");
        x.WriteAttributeString("name", "Normal");
        x.WriteAttributeString("xfId", "0");
        x.WriteAttributeString("builtinId", "0");
        x.WriteEndElement();
        x.WriteEndElement();

        x.WriteEndElement();
    }

    private static void Font(XmlWriter x, bool bold)
    {
        x.WriteStartElement("font");
        if (bold)
        {
            x.WriteStartElement("b");
            x.WriteEndElement();
        }
        x.WriteStartElement("sz");
        x.WriteAttributeString("val", "11");
        x.WriteEndElement();
        x.WriteStartElement("name");
        x.WriteAttributeString("val", "Calibri");
        x.WriteEndElement();
        x.WriteStartElement("family");
        x.WriteAttributeString("val", "2");
        x.WriteEndElement();
        x.WriteEndElement();
    }

    private static void Xf(XmlWriter x, int numFmt, int font, bool wrap = false, bool inCellXfs = true)
    {
        x.WriteStartElement("xf");
        x.WriteAttributeString("numFmtId", numFmt.ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("fontId", font.ToString(CultureInfo.InvariantCulture));
        x.WriteAttributeString("fillId", "0");
        x.WriteAttributeString("borderId", "0");
        if (inCellXfs)
        {
            x.WriteAttributeString("xfId", "0");
            if (numFmt != 0) x.WriteAttributeString("applyNumberFormat", "1");
            if (font != 0) x.WriteAttributeString("applyFont", "1");
            if (wrap) x.WriteAttributeString("applyAlignment", "1");
        }
        if (wrap)
        {
            x.WriteStartElement("alignment");
            x.WriteAttributeString("vertical", "top");
            x.WriteAttributeString("wrapText", "1");
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }
}
