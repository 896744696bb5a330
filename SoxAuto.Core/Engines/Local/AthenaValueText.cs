using System.Globalization;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// Values as Athena (Trino) prints them in a result CSV. Dates yyyy-MM-dd; timestamps with milliseconds
/// (Athena's timestamp(3)); decimals with exactly their scale, never an exponent; booleans true/false;
/// doubles as Java's Double.toString prints them (Trino is Java): plain between 10^-3 and 10^7, otherwise
/// 1.0E7 style, always with a fractional digit. Everything in the invariant culture.
/// </summary>
public static class AthenaValueText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", Inv);

    /// <summary>Sub-millisecond digits are dropped, as Athena's millisecond timestamps have none.</summary>
    public static string Timestamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.fff", Inv);

    public static string Decimal(decimal value, int scale) => value.ToString("F" + scale.ToString(Inv), Inv);

    public static string Boolean(bool b) => b ? "true" : "false";

    public static string Double(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "Infinity";
        if (double.IsNegativeInfinity(d)) return "-Infinity";
        if (d == 0) return double.IsNegative(d) ? "-0.0" : "0.0";
        // "R" gives the shortest digits that read back as the same double, as Java's Double.toString does.
        return JavaStyle(d < 0, Math.Abs(d).ToString("R", Inv));
    }

    public static string Real(float f)
    {
        if (float.IsNaN(f)) return "NaN";
        if (float.IsPositiveInfinity(f)) return "Infinity";
        if (float.IsNegativeInfinity(f)) return "-Infinity";
        if (f == 0) return float.IsNegative(f) ? "-0.0" : "0.0";
        return JavaStyle(f < 0, Math.Abs(f).ToString("R", Inv));
    }

    /// <summary>Turns .NET's shortest round-trip text ("123.45", "1E+16", "1.5E-05") into Java's layout.</summary>
    private static string JavaStyle(bool negative, string shortest)
    {
        var e = shortest.IndexOfAny(['E', 'e']);
        var mantissa = e < 0 ? shortest : shortest[..e];
        var exponent = e < 0 ? 0 : int.Parse(shortest[(e + 1)..], NumberStyles.AllowLeadingSign, Inv);
        var point = mantissa.IndexOf('.');
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var pointPos = point < 0 ? mantissa.Length : point;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0) digits = "0";
        // value = d0.d1d2... x 10^sci
        var sci = pointPos - leadingZeros - 1 + exponent;

        string text;
        if (sci is >= -3 and < 7)
        {
            if (sci >= 0)
            {
                var whole = digits.Length > sci + 1 ? digits[..(sci + 1)] : digits.PadRight(sci + 1, '0');
                var frac = digits.Length > sci + 1 ? digits[(sci + 1)..] : "0";
                text = whole + "." + frac;
            }
            else
            {
                text = "0." + new string('0', -sci - 1) + digits;
            }
        }
        else
        {
            text = digits[0] + "." + (digits.Length > 1 ? digits[1..] : "0") + "E" + sci.ToString(Inv);
        }
        return negative ? "-" + text : text;
    }
}
