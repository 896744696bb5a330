using static SoxAuto.Core.Checks.CheckFigures;

namespace SoxAuto.Core.Checks;

/// <summary>Completeness of the workbook against the extract: every row parsed from the stored
/// extract is a row of the Data sheet(s).</summary>
public static class WorkbookCompletenessCheck
{
    public const string Name = "Workbook rows equal extract rows";

    public static CheckOutcome Evaluate(long extractRows, long workbookRows) => new(
        Name,
        extractRows == workbookRows ? CheckStatus.Passed : CheckStatus.Failed,
        Count(extractRows),
        Count(workbookRows),
        "Expected: data rows parsed from the stored extract (header excluded). Actual: data rows written to the "
        + "workbook's Data sheet(s) (their header rows excluded)."
        + (extractRows == workbookRows ? "" : $" {Count(Math.Abs(extractRows - workbookRows))} row(s) differ."));

    /// <summary>Above the workbook's row cap there are no Data sheets to compare: not run, and why.</summary>
    public static CheckOutcome NotRunWithoutDataSheets(long extractRows, long maxWorkbookRows) => new(
        Name,
        CheckStatus.NotRun,
        Count(extractRows),
        "(no Data sheets)",
        $"The extract has {Count(extractRows)} rows, more than the {Count(maxWorkbookRows)} a workbook holds here "
        + "(SoxAuto:MaxWorkbookRows), so the workbook has no Data sheets. The complete data is the stored extract; "
        + "its SHA-256 is on the Evidence sheet.");
}
