using System.Globalization;

namespace SoxAuto.Core.Catalog;

/// <summary>
/// The one place a parameter value becomes SQL text. Values reach this function only after
/// <see cref="ParameterBinder"/> typed and validated them; it still quotes every text value and refuses
/// any control character, so even a value that slipped past a pattern can end neither the literal (its
/// quotes are doubled) nor anything around it (it holds no line break).
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

    /// <summary>A standard SQL string literal: single quotes doubled. A backslash is an ordinary character
    /// in both engines' standard strings; <see cref="QueryRenderer"/> keeps a prefix such as E off the literal.</summary>
    public static string Text(string value)
    {
        if (Unprintable(value) is { } why)
            throw new ParameterException($"A parameter value {why}.");
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Why <paramref name="value"/> cannot be a text value, or null. A value is one line of printable
    /// text: line breaks (CR, LF, U+2028, U+2029, NEL), TAB, NUL and every other control character are
    /// refused, because a line break ends a <c>--</c> comment and none belongs in a company code or a name.</summary>
    public static string? Unprintable(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (!char.IsControl(c) && c is not ('\u2028' or '\u2029')) continue;
            var what = c switch
            {
                '\n' => "a line break (LF)",
                '\r' => "a line break (CR)",
                '\t' => "a tab",
                '\0' => "a NUL character",
                '\u0085' or '\u2028' or '\u2029' => $"a line break (U+{(int)c:X4})",
                _ => $"the control character U+{(int)c:X4}",
            };
            return $"contains {what} at position {i + 1}; a value must be one line of printable text";
        }
        return null;
    }
}
