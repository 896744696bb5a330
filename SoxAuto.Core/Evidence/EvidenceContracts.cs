using SoxAuto.Core.Catalog;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence.Workbook;

namespace SoxAuto.Core.Evidence;

/// <summary>What the evidence pass needs for one run.</summary>
/// <param name="Facts">The Evidence sheet's lines, in order (IPE, control, period, version, who,
/// when, engine, execution id ...). The pass appends what it measures: row count, SHA-256, checks.</param>
/// <param name="ExecutedSql">The SQL exactly as sent to the engine.</param>
/// <param name="Parameters">The typed values, shown on the Query sheet.</param>
/// <param name="ExtractPath">Where the extract is stored; written as .partial and renamed when complete.</param>
/// <param name="WorkbookPath">Where the workbook is stored; likewise.</param>
/// <param name="MaxRowsPerSheet">Data rows per Data sheet (Excel's limit less the header row).</param>
/// <param name="MaxWorkbookRows">Above this many rows the workbook holds no Data sheets; the stored
/// extract alone carries the data (<see cref="EvidenceResult.DataSheets"/> is then 0).</param>
/// <param name="Sheets">Sheets a procedure adds after the Columns sheet (<see cref="IEvidenceSheet"/>); none for a plain run.</param>
public sealed record EvidenceRequest(
    IReadOnlyList<KeyValuePair<string, string>> Facts,
    string ExecutedSql,
    IReadOnlyList<ParameterValue> Parameters,
    string ExtractPath,
    string WorkbookPath,
    int MaxRowsPerSheet = ExcelLimits.DataRowsPerSheet,
    long MaxWorkbookRows = 5_000_000,
    IReadOnlyList<IEvidenceSheet>? Sheets = null);

/// <param name="DataSheets">Data sheets in the workbook: at least 1, or 0 when the extract had more
/// rows than <see cref="EvidenceRequest.MaxWorkbookRows"/>.</param>
public sealed record EvidenceResult(
    long RowCount,
    string ExtractSha256,
    long ExtractBytes,
    string WorkbookSha256,
    long WorkbookBytes,
    int DataSheets,
    IReadOnlyList<CheckOutcome> Checks,
    IReadOnlyList<ColumnProfile> Columns);

/// <summary>Per-column figures for the Columns sheet. Min, Max and Sum are exact text (decimals keep
/// every digit). <see cref="TextInWorkbook"/> is set when some value could not be held exactly by an
/// Excel number and was written as text.</summary>
public sealed record ColumnProfile(
    string Name, string Type, long Nulls, string? Min, string? Max, string? Sum, bool TextInWorkbook = false);
