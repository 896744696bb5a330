using System.Text;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using SoxAuto.Core.Catalog;
using SoxAuto.Core.Engines;
using SoxAuto.Core.Evidence;

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

    public static readonly DateOnly September1 = new(2025, 9, 1);
    public static readonly DateOnly September30 = new(2025, 9, 30);

    public EvidenceRequest Request(CheckSettings? checks = null, int maxRowsPerSheet = 1_048_575, string sql = "SELECT 1",
        long maxWorkbookRows = 5_000_000) => new(
        [new("IPE", "IPE_09"), new("Title", "Web-shop sales orders"), new("Run", "run-12")],
        sql,
        [new ParameterValue("period_end", ParameterType.Date, ["2025-09-30"]), new ParameterValue("companies", ParameterType.TextList, ["EC_NG", "JD_GH"])],
        checks ?? new CheckSettings(),
        September1, September30, ExtractPath, WorkbookPath, maxRowsPerSheet, maxWorkbookRows);

    public static EngineResult Result(string csv, params (string Name, string Type)[] columns)
        => Result(new MemoryStream(Encoding.UTF8.GetBytes(csv)), columns);

    public static EngineResult Result(Stream csv, params (string Name, string Type)[] columns)
        => new(columns.Select(c => new ResultColumn(c.Name, c.Type)).ToList(), csv, "test");

    public Task<EvidenceResult> WriteAsync(string csv, (string Name, string Type)[] columns, CheckSettings? checks = null,
        int maxRowsPerSheet = 1_048_575, IProgress<long>? progress = null, CancellationToken ct = default, long maxWorkbookRows = 5_000_000)
        => new EvidenceWriter().WriteAsync(Request(checks, maxRowsPerSheet, maxWorkbookRows: maxWorkbookRows), Result(csv, columns), progress, ct);

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

/// <summary>A source that delivers a few bytes at a time, then optionally fails: like a network stream.</summary>
public sealed class TrickleStream(byte[] bytes, int chunk, int failAfterBytes = -1, Action? onRead = null) : Stream
{
    private int _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        onRead?.Invoke();
        if (failAfterBytes >= 0 && _position >= failAfterBytes) throw new IOException("The connection to the engine was lost.");
        var n = Math.Min(Math.Min(chunk, buffer.Length), bytes.Length - _position);
        bytes.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
