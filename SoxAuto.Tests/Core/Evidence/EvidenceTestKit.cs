using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Extract;
using SoxAuto.Core.Periods;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>A temporary evidence folder and helpers to run the pass and read its workbook back with
/// DocumentFormat.OpenXml (the independent reader).</summary>
public sealed class EvidenceTestKit : IDisposable
{
    public EvidenceTestKit()
    {
        Folder = Path.Combine(Path.GetTempPath(), "soxauto-evidence-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }
    public string ExtractPath => Path.Combine(Folder, "IPE_09_2025-09_run-12.csv");
    public string WorkbookPath => Path.Combine(Folder, "IPE_09_2025-09_run-12.xlsx");

    public static readonly Period September = Period.Month(2025, 9);

    public EvidenceRequest Request(int maxRowsPerSheet = ExcelLimits.DataRowsPerSheet, string sql = "SELECT 1",
        long maxWorkbookRows = 5_000_000) => new(
        [new("IPE", "IPE_09"), new("Title", "Web-shop sales orders"), new("Run", "run-12")],
        sql,
        Parameters,
        ExtractPath, WorkbookPath, maxRowsPerSheet, maxWorkbookRows);

    /// <summary>The run's parameter values: the cutoff and two companies selected.</summary>
    public static readonly IReadOnlyList<ParameterValue> Parameters =
        [new ParameterValue("period_end", ParameterType.Date, ["2025-09-30"]), new ParameterValue("companies", ParameterType.TextList, ["EC_NG", "JD_GH"])];

    /// <summary>The checks a run of an IPE with these settings gets for September 2025.</summary>
    public static IReadOnlyList<ICheck> Checks(CheckSettings? settings = null, IControlQueries? controls = null) =>
        IpeChecks.For(settings ?? new CheckSettings(), September, Parameters, controls);

    public static QueryResult Result(string csv, params (string Name, string Type)[] columns)
        => Result(new MemoryStream(Encoding.UTF8.GetBytes(csv)), columns);

    public static QueryResult Result(Stream csv, params (string Name, string Type)[] columns)
        => new(columns.Select(c => new ResultColumn(c.Name, c.Type)).ToList(), csv, "test");

    public Task<EvidenceResult> WriteAsync(string csv, (string Name, string Type)[] columns, CheckSettings? checks = null,
        int maxRowsPerSheet = ExcelLimits.DataRowsPerSheet, IProgress<long>? progress = null, CancellationToken ct = default, long maxWorkbookRows = 5_000_000)
        => new EvidenceWriter().WriteAsync(Request(maxRowsPerSheet, maxWorkbookRows: maxWorkbookRows), Result(csv, columns), Checks(checks), progress, ct);

    public string[] FilesLeft() => Directory.GetFiles(Folder).Select(Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>A workbook opened with DocumentFormat.OpenXml, with cells addressed as Excel shows them.</summary>
public sealed class WorkbookReadBack : IDisposable
{
    private readonly SpreadsheetDocument _document;

    public WorkbookReadBack(string path) => _document = SpreadsheetDocument.Open(path, isEditable: false);

    public WorkbookReadBack(Stream stream) => _document = SpreadsheetDocument.Open(stream, isEditable: false);

    public WorkbookPart WorkbookPart => _document.WorkbookPart!;

    public string[] SheetNames => WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToArray();

    public Worksheet Sheet(string name)
    {
        var sheet = WorkbookPart.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        return ((WorksheetPart)WorkbookPart.GetPartById(sheet.Id!)).Worksheet;
    }

    public Row[] Rows(string sheet) => Sheet(sheet).GetFirstChild<SheetData>()!.Elements<Row>().ToArray();

    public Cell? Cell(string sheet, string reference)
        => Sheet(sheet).Descendants<Cell>().SingleOrDefault(c => c.CellReference == reference);

    /// <summary>What a person sees as the cell's content: inline text, or the stored value.</summary>
    public static string? Text(Cell? cell) => cell is null ? null
        : cell.DataType?.Value == CellValues.InlineString ? cell.InlineString!.Text!.Text
        : cell.CellValue?.Text;

    /// <summary>The number format code of a cell's style, or "General".</summary>
    public string FormatCode(Cell cell)
    {
        var styles = WorkbookPart.WorkbookStylesPart!.Stylesheet;
        var format = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        var id = format.NumberFormatId?.Value ?? 0;
        return styles.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(f => f.NumberFormatId?.Value == id)?.FormatCode?.Value
               ?? (id == 0 ? "General" : "builtin " + id);
    }

    public bool IsBold(Cell cell)
    {
        var styles = WorkbookPart.WorkbookStylesPart!.Stylesheet;
        var format = styles.CellFormats!.Elements<CellFormat>().ElementAt((int)(cell.StyleIndex?.Value ?? 0));
        var font = styles.Fonts!.Elements<Font>().ElementAt((int)(format.FontId?.Value ?? 0));
        return font.Bold is not null;
    }

    public void Dispose() => _document.Dispose();
}
