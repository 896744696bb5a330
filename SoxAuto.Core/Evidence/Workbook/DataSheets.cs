using System.Globalization;
using System.IO.Compression;

namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>
/// The extract's rows as the Data sheet(s), streamed during the pass. A sheet holds at most
/// <c>maxRowsPerSheet</c> data rows under its header; the next row starts "Data 2", and so on.
/// Each sheet has a bold, frozen header and an autofilter over its rows.
/// </summary>
internal sealed class DataSheets(WorkbookPackage package, IReadOnlyList<ExtractColumn> columns, int firstPosition, int maxRowsPerSheet) : IDisposable
{
    private WorksheetXml? _sheet;
    private long _rowsInSheet;

    /// <summary>Data rows written to all data sheets (headers not counted).</summary>
    public long RowsWritten { get; private set; }

    public int SheetCount { get; private set; }

    /// <summary>Starts a data row (and a new sheet when the current one is full); write its cells
    /// to the returned sheet, then call <see cref="EndRow"/>.</summary>
    public WorksheetXml StartRow()
    {
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
        _sheet!.EndRow();
        RowsWritten++;
    }

    /// <summary>Closes the last sheet; an extract without rows still gets a Data sheet with its header.</summary>
    public void Finish()
    {
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
