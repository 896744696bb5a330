using System.Globalization;
using System.IO.Compression;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// The extract's rows as the Data sheet(s), streamed during the pass. A sheet holds at most
/// <c>maxRowsPerSheet</c> data rows under its header; the next row starts "Data 2", and so on.
/// Each sheet has a bold, frozen header and an autofilter over its rows.
/// Above <c>maxWorkbookRows</c> the workbook holds no data at all (<see cref="Omitted"/>): the rows
/// written so far are thrown away and the extract alone carries the data. Only the end of the pass
/// knows the count, so the sheets are written until then and dropped if the cap is passed.
/// </summary>
internal sealed class DataSheets(WorkbookPackage package, IReadOnlyList<ExtractColumn> columns, int firstPosition,
    int maxRowsPerSheet, long maxWorkbookRows) : IDisposable
{
    private WorksheetXml? _sheet;
    private long _rowsInSheet;

    /// <summary>Data rows written to all data sheets (headers not counted).</summary>
    public long RowsWritten { get; private set; }

    public int SheetCount { get; private set; }

    /// <summary>True once the extract has more rows than a workbook may hold: no data sheets.</summary>
    public bool Omitted { get; private set; }

    /// <summary>Starts a data row (and a new sheet when the current one is full); write its cells
    /// to the returned sheet, then call <see cref="EndRow"/>. Null when the data is omitted.</summary>
    public WorksheetXml? StartRow()
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

    public void EndRow()
    {
        if (Omitted) return;
        _sheet!.EndRow();
        RowsWritten++;
    }

    /// <summary>Closes the last sheet; an extract without rows still gets a Data sheet with its header.</summary>
    public void Finish()
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
        _sheet = package.StartSheet(firstPosition + SheetCount - 1, columns.Select(c => c.Width).ToList(), freezeHeader: true, CompressionLevel.Fastest, compressOffThread: true);
        _sheet.StartRow(1);
        for (var i = 0; i < columns.Count; i++) _sheet.Text(i, columns[i].Name, Styles.Bold);
        _sheet.EndRow();
        _rowsInSheet = 0;
    }

    private void CloseSheet()
    {
        if (_sheet is null) return;
        var range = "A1:" + WorksheetXml.ColumnName(columns.Count - 1) + (_rowsInSheet + 1).ToString(CultureInfo.InvariantCulture);
        _sheet.Finish(range);
        _sheet.Dispose();
        _sheet = null;
        package.AddSheet(firstPosition + SheetCount - 1, SheetName(SheetCount), range);
    }
}
