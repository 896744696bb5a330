using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// The Columns sheet's figures of every column (NULLs, min, max, exact sum). In a run the workbook's
/// <see cref="DataSheets"/> feed it while writing each value as a cell, so every value is parsed once
/// for both; observed on its own it keeps the figures only.
/// </summary>
public sealed class ColumnFigures : IExtractObserver
{
    private readonly Styles _styles;
    private ExtractColumn[] _columns = [];

    public ColumnFigures() : this(new Styles()) { }

    internal ColumnFigures(Styles styles) => _styles = styles;

    internal IReadOnlyList<ExtractColumn> Columns => _columns;

    public void Begin(ExtractHeader header)
        => _columns = header.Columns.Select(c => new ExtractColumn(c.Name, c.Type, _styles)).ToArray();

    public void Row(IExtractRow row) => Take(row, sheet: null);

    /// <summary>Adds the row to the figures and, given a sheet, writes its cells.</summary>
    internal void Take(IExtractRow row, WorksheetXml? sheet)
    {
        for (var i = 0; i < _columns.Length; i++) _columns[i].Take(row, i, sheet);
    }

    /// <param name="cellsInWorkbook">False when the workbook holds no Data sheets: then no value is
    /// "text in the workbook".</param>
    public IReadOnlyList<ColumnProfile> Profiles(bool cellsInWorkbook) => _columns.Select(c => c.Profile(cellsInWorkbook)).ToList();

    /// <summary>Each column's note for the Columns sheet (why values are text, which are left out).</summary>
    internal IReadOnlyList<string> Notes(bool cellsInWorkbook) => _columns.Select(c => c.Note(cellsInWorkbook)).ToList();
}
