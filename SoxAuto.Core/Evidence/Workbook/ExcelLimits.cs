namespace SoxAuto.Core.Evidence.Workbook;

/// <summary>What one Excel worksheet can hold (Excel's specifications and limits).</summary>
public static class ExcelLimits
{
    /// <summary>Rows per sheet, the header row included.</summary>
    public const int Rows = 1_048_576;

    /// <summary>Data rows per sheet under its one header row.</summary>
    public const int DataRowsPerSheet = Rows - 1;

    public const int Columns = 16_384;

    /// <summary>Characters in one cell.</summary>
    public const int CellCharacters = 32_767;
}
