using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// The .xlsx file: a zip of SpreadsheetML parts written one after another (never held in memory).
/// Sheets may be written in any order; workbook.xml, written last, puts them in the order users see.
/// </summary>
internal sealed class WorkbookPackage : IDisposable
{
    private const string PackageRels = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string DocumentRels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string SheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";

    private static readonly XmlWriterSettings PartSettings = new() { Encoding = new UTF8Encoding(false), CloseOutput = true };

    private readonly FileStream _file;
    private ZipPackageWriter _zip;
    private readonly List<Sheet> _sheets = [];
    private bool _finished;

    private sealed record Sheet(int Position, string Name, string? FilterRange);

    /// <summary>Threads that compress a large sheet; null for one per processor. Set by tests to show
    /// that the bytes do not depend on it.</summary>
    public int? CompressionWorkers { get; init; }

    /// <summary>A small workbook for a download (a sample, a roll-forward, the access review) as bytes:
    /// <paramref name="write"/> writes it to a temporary file, which is read back and deleted.</summary>
    public static async Task<byte[]> BytesAsync(Action<string> write, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"soxauto-workbook-{Guid.NewGuid():N}.xlsx");
        try
        {
            write(path);
            return await File.ReadAllBytesAsync(path, ct);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public WorkbookPackage(string path)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _zip = new ZipPackageWriter(_file);
    }

    public Styles Styles { get; } = new();

    /// <summary>Starts the worksheet shown at <paramref name="position"/> (1-based, in workbook order).
    /// A large sheet is compressed in blocks on several threads (<paramref name="parallel"/>: one per
    /// processor, or <see cref="CompressionWorkers"/>).</summary>
    public WorksheetXml StartSheet(int position, IReadOnlyList<double> widths, bool freezeHeader, CompressionLevel compression, bool parallel = false)
    {
        var part = _zip.CreateEntry(SheetPart(position), compression, parallel, CompressionWorkers);
        return new WorksheetXml(part, widths, freezeHeader, selected: position == 1);
    }

    /// <summary>Starts the file afresh, throwing away every sheet written so far (their sheet streams
    /// must be closed): the data turned out too large for a workbook. The styles are kept.</summary>
    public void DiscardSheets()
    {
        _file.SetLength(0);
        _zip = new ZipPackageWriter(_file);
        _sheets.Clear();
    }

    /// <summary>Records a finished sheet for workbook.xml.</summary>
    public void AddSheet(int position, string name, string? filterRange) => _sheets.Add(new Sheet(position, name, filterRange));

    /// <summary>Writes the package parts that describe the sheets, closes the zip and forces it to disk.</summary>
    public void Finish()
    {
        var sheets = _sheets.OrderBy(s => s.Position).ToList();
        WritePart("xl/workbook.xml", x => Workbook(x, sheets));
        WritePart("xl/_rels/workbook.xml.rels", x => WorkbookRels(x, sheets));
        WritePart("xl/styles.xml", Styles.Write);
        WritePart("_rels/.rels", x =>
        {
            x.WriteStartElement("Relationships", PackageRels);
            Relationship(x, "rId1", DocumentRels + "/officeDocument", "xl/workbook.xml");
            x.WriteEndElement();
        });
        WritePart("[Content_Types].xml", x => ContentTypes(x, sheets));
        _zip.Finish();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _finished = true;
    }

    /// <summary>Abandons an unfinished package; the caller deletes the file.</summary>
    public void Dispose()
    {
        if (_finished) return;
        try { _file.Dispose(); } catch (Exception) { /* the file is deleted anyway */ }
    }

    private static string SheetPart(int position) => $"xl/worksheets/sheet{position.ToString(CultureInfo.InvariantCulture)}.xml";

    private void WritePart(string name, Action<XmlWriter> write)
    {
        using var x = XmlWriter.Create(_zip.CreateEntry(name, CompressionLevel.Optimal), PartSettings);
        x.WriteStartDocument(true);
        write(x);
        x.WriteEndDocument();
    }

    private static void Workbook(XmlWriter x, List<Sheet> sheets)
    {
        x.WriteStartElement("workbook", WorksheetXml.MainNs);
        x.WriteAttributeString("xmlns", "r", null, DocumentRels);
        x.WriteStartElement("bookViews");
        x.WriteStartElement("workbookView");
        x.WriteEndElement();
        x.WriteEndElement();
        x.WriteStartElement("sheets");
        for (var i = 0; i < sheets.Count; i++)
        {
            x.WriteStartElement("sheet");
            x.WriteAttributeString("name", sheets[i].Name);
            x.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
            x.WriteAttributeString("id", DocumentRels, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture));
            x.WriteEndElement();
        }
        x.WriteEndElement();
        if (sheets.Any(s => s.FilterRange is not null))
        {
            // Excel records every autofilter range under this hidden name; without it some versions drop the filter.
            x.WriteStartElement("definedNames");
            for (var i = 0; i < sheets.Count; i++)
            {
                if (sheets[i].FilterRange is not { } range) continue;
                x.WriteStartElement("definedName");
                x.WriteAttributeString("name", "_xlnm._FilterDatabase");
                x.WriteAttributeString("localSheetId", i.ToString(CultureInfo.InvariantCulture));
                x.WriteAttributeString("hidden", "1");
                x.WriteString($"'{sheets[i].Name.Replace("'", "''", StringComparison.Ordinal)}'!{Absolute(range)}");
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private static string Absolute(string range)
        => string.Join(':', range.Split(':').Select(cell =>
        {
            var digits = cell.IndexOfAny("0123456789".ToCharArray());
            return "$" + cell[..digits] + "$" + cell[digits..];
        }));

    private static void WorkbookRels(XmlWriter x, List<Sheet> sheets)
    {
        x.WriteStartElement("Relationships", PackageRels);
        for (var i = 0; i < sheets.Count; i++)
            Relationship(x, "rId" + (i + 1).ToString(CultureInfo.InvariantCulture), DocumentRels + "/worksheet",
                "worksheets/sheet" + sheets[i].Position.ToString(CultureInfo.InvariantCulture) + ".xml");
        Relationship(x, "rId" + (sheets.Count + 1).ToString(CultureInfo.InvariantCulture), DocumentRels + "/styles", "styles.xml");
        x.WriteEndElement();
    }

    private static void Relationship(XmlWriter x, string id, string type, string target)
    {
        x.WriteStartElement("Relationship");
        x.WriteAttributeString("Id", id);
        x.WriteAttributeString("Type", type);
        x.WriteAttributeString("Target", target);
        x.WriteEndElement();
    }

    private static void ContentTypes(XmlWriter x, List<Sheet> sheets)
    {
        x.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
        Default(x, "rels", "application/vnd.openxmlformats-package.relationships+xml");
        Default(x, "xml", "application/xml");
        Override(x, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
        Override(x, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
        foreach (var s in sheets) Override(x, "/" + SheetPart(s.Position), SheetType);
        x.WriteEndElement();
    }

    private static void Default(XmlWriter x, string extension, string type)
    {
        x.WriteStartElement("Default");
        x.WriteAttributeString("Extension", extension);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }

    private static void Override(XmlWriter x, string part, string type)
    {
        x.WriteStartElement("Override");
        x.WriteAttributeString("PartName", part);
        x.WriteAttributeString("ContentType", type);
        x.WriteEndElement();
    }
}

