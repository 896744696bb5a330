using System.Text;

namespace SoxAuto.Core.Extract;

/// <summary>A row's values read as Athena printed them. Each returns false for NULL and for text that
/// is not of the kind asked for, so a check can count both instead of guessing.</summary>
public static class ExtractRowValues
{
    /// <summary>The value as text; null for NULL.</summary>
    public static string? Text(this IExtractRow row, int column)
        => row.IsNull(column) ? null : Encoding.UTF8.GetString(row.Value(column));

    /// <summary>An integer, decimal or double exactly as printed (every digit of a decimal(38,s) kept),
    /// for totals that must agree to the cent.</summary>
    public static bool TryNumber(this IExtractRow row, int column, out ExactNumber value)
    {
        value = default;
        return !row.IsNull(column) && ExactNumber.TryParse(row.Value(column), allowExponent: true, out value, out _);
    }

    /// <summary>The calendar date of a date or timestamp value.</summary>
    public static bool TryDay(this IExtractRow row, int column, out DateOnly day)
    {
        day = default;
        return !row.IsNull(column) && AthenaValueText.TryParseDay(row.Value(column), out day);
    }
}
