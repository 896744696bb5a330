using System.Globalization;
using System.IO.Compression;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// The extract's rows as the Data sheet(s), streamed during the pass, each value also added to the
/// column figures (<see cref="ColumnFigures"/>) as it is parsed. A sheet holds at most
/// <c>maxRowsPerSheet</c> data rows under its header; the next row starts "Data 2", and so on.
/// Each sheet has a bold, frozen header and an autofilter over its rows.
/// Above <c>maxWorkbookRows</c> the workbook holds no data at all (<see cref="Omitted"/>): the rows
/// written so far are thrown away and the extract alone carries the data. Only the end of the pass
/// knows the count, so the sheets are written until then and dropped if the cap is passed.
/// </summary>
internal sealed class DataSheets(WorkbookPackage package, ColumnFigures figures, int firstPosition,
    int maxRowsPerSheet, long maxWorkbookRows) : IExtractObserver, IDisposable
{
    private IReadOnlyList<ExtractColumn> _columns = [];
    private WorksheetXml? _sheet;
    private long _rowsInSheet;

    /// <summary>Data rows written to all data sheets (headers not counted).</summary>
    public long RowsWritten { get; private set; }

    public int SheetCount { get; private set; }

    /// <summary>True once the extract has more rows than a workbook may hold: no data sheets.</summary>
    public bool Omitted { get; private set; }

    public void Begin(ExtractHeader header)
    {
        if (header.Count > ExcelLimits.Columns)
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                $"The result has {header.Count} columns; an Excel sheet holds at most {ExcelLimits.Columns:N0}."));
        figures.Begin(header);
        _columns = figures.Columns;
    }

    public void Row(IExtractRow row)
    {
        figures.Take(row, StartRow());
        EndRow();
    }

    public void End(long rows) => Finish();

    /// <summary>Starts a data row (and a new sheet when the current one is full) and returns the sheet
    /// to write its cells to; null when the data is omitted.</summary>
    private WorksheetXml? StartRow()
    {
        if (Omitted) return null;
        if (RowsWritten == maxWorkbookRows)
        {
            Omit();
            return null;
        }
        if (_sheet is null || _rowsInSheet == maxRowsPerSheet)
        {
            CloseSheet();
            OpenSheet();
        }
        _rowsInSheet++;
        _sheet!.StartRow(_rowsInSheet + 1);
        return _sheet;
    }

    private void EndRow()
    {
        if (Omitted) return;
        _sheet!.EndRow();
        RowsWritten++;
    }

    /// <summary>Closes the last sheet; an extract without rows still gets a Data sheet with its header.</summary>
    private void Finish()
    {
        if (Omitted) return;
        if (_sheet is null) OpenSheet();
        CloseSheet();
    }

    public static string SheetName(int number) => number == 1 ? "Data" : "Data " + number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Abandons an unfinished sheet (after a failure); the file is deleted anyway.</summary>
    public void Dispose()
    {
        try { _sheet?.Dispose(); } catch (Exception) { }
        _sheet = null;
    }

    private void Omit()
    {
        _sheet?.Dispose();
        _sheet = null;
        package.DiscardSheets();
        Omitted = true;
        RowsWritten = 0;
        SheetCount = 0;
    }

    private void OpenSheet()
    {
        SheetCount++;
        _sheet = package.StartSheet(firstPosition + SheetCount - 1, _columns.Select(c => c.Width).ToList(), freezeHeader: true, CompressionLevel.Fastest, parallel: true);
        _sheet.StartRow(1);
        for (var i = 0; i < _columns.Count; i++) _sheet.Text(i, _columns[i].Name, Styles.Bold);
        _sheet.EndRow();
        _rowsInSheet = 0;
    }

    private void CloseSheet()
    {
        if (_sheet is null) return;
        var range = "A1:" + WorksheetXml.ColumnName(_columns.Count - 1) + (_rowsInSheet + 1).ToString(CultureInfo.InvariantCulture);
        _sheet.Finish(range);
        _sheet.Dispose();
        _sheet = null;
        package.AddSheet(firstPosition + SheetCount - 1, SheetName(SheetCount), range);
    }
}
