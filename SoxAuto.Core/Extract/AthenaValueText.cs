using System.Globalization;

namespace SoxAuto.Core.Extract;

/// <summary>
/// Values as Athena (Trino) prints them in a result CSV, and read back from it. Dates yyyy-MM-dd; timestamps with milliseconds
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

    /// <summary>Parses exactly <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseDate(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length != 10 || s[4] != (byte)'-' || s[7] != (byte)'-') return false;
        if (!TryDigits(s[..4], out var y) || !TryDigits(s.Slice(5, 2), out var m) || !TryDigits(s.Slice(8, 2), out var d)) return false;
        if (y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return false;
        date = new DateOnly(y, m, d);
        return true;
    }

    /// <summary>Parses <c>yyyy-MM-dd HH:mm:ss</c> with an optional fraction of 1 to 9 digits.</summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out DateOnly date, out long nanosOfDay)
    {
        date = default;
        nanosOfDay = 0;
        if (s.Length < 19 || !TryParseDate(s[..10], out date) || (s[10] != (byte)' ' && s[10] != (byte)'T')
            || s[13] != (byte)':' || s[16] != (byte)':') return false;
        if (!TryDigits(s.Slice(11, 2), out var h) || !TryDigits(s.Slice(14, 2), out var mi) || !TryDigits(s.Slice(17, 2), out var sec)
            || h > 23 || mi > 59 || sec > 59) return false;
        long fraction = 0;
        if (s.Length > 19)
        {
            var digits = s[20..];
            if (s[19] != (byte)'.' || digits.Length is 0 or > 9 || !TryDigits(digits, out var f)) return false;
            fraction = f;
            for (var i = digits.Length; i < 9; i++) fraction *= 10;
        }
        nanosOfDay = ((h * 60L + mi) * 60 + sec) * 1_000_000_000 + fraction;
        return true;
    }

    /// <summary>The calendar date of a date or timestamp value (what the period check compares).</summary>
    public static bool TryParseDay(ReadOnlySpan<byte> s, out DateOnly date)
        => s.Length == 10 ? TryParseDate(s, out date) : TryParseTimestamp(s, out date, out _);

    public static string FormatTimestamp(DateOnly date, long nanosOfDay)
    {
        var time = TimeOnly.FromTimeSpan(TimeSpan.FromTicks(nanosOfDay / 100));
        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " " + time.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = (nanosOfDay % 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
        return text + "." + fraction.PadRight(3, '0'); // milliseconds always, more digits only when present
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

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var c in s)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
