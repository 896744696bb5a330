using System.Globalization;

namespace SoxAuto.Core.Catalog;

/// <summary>
/// The one place a parameter value becomes SQL text. Values reach this function only after
/// <see cref="ParameterBinder"/> typed and validated them; it still quotes every text value, so even
/// a value that slipped past a pattern cannot end the literal.
/// </summary>
public static class SqlLiteral
{
    public static string Render(ParameterValue value) => value.Type switch
    {
        ParameterType.Date => Date(value.Values.Single()),
        ParameterType.Text => Text(value.Values.Single()),
        ParameterType.TextList => "(" + string.Join(", ", value.Values.Select(Text)) + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value.Type, "Unknown parameter type."),
    };

    /// <summary><c>DATE 'yyyy-MM-dd'</c>, valid in Trino (Athena) and DuckDB alike.</summary>
    public static string Date(string isoDate)
    {
        var d = DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return $"DATE '{d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";
    }

    /// <summary>A standard SQL string literal: single quotes doubled. NUL cannot appear in SQL text.</summary>
    public static string Text(string value)
    {
        if (value.Contains('\0'))
            throw new ParameterException("A parameter value cannot contain the NUL character.");
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }
}
