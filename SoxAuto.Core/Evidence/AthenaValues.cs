using System.Globalization;

namespace SoxAuto.Core.Evidence;

/// <summary>How a column's values are read, from its Athena type name.</summary>
internal enum ValueKind { Integer, Decimal, Double, Date, Timestamp, Boolean, Text }

/// <summary>Athena's type names and the text forms of its values in the CSV result.</summary>
internal static class AthenaValues
{
    /// <summary>Everything not listed here (varchar, char, time, timestamp with time zone, arrays,
    /// maps, json, varbinary ...) is read and written as text.</summary>
    public static ValueKind KindOf(string athenaType)
    {
        var t = athenaType.Trim().ToLowerInvariant();
        if (t is "tinyint" or "smallint" or "integer" or "int" or "bigint") return ValueKind.Integer;
        if (t == "decimal" || t.StartsWith("decimal(", StringComparison.Ordinal)) return ValueKind.Decimal;
        if (t is "double" or "real" or "float") return ValueKind.Double;
        if (t == "date") return ValueKind.Date;
        if ((t == "timestamp" || t.StartsWith("timestamp(", StringComparison.Ordinal)) && !t.Contains("zone", StringComparison.Ordinal))
            return ValueKind.Timestamp;
        if (t == "boolean") return ValueKind.Boolean;
        return ValueKind.Text;
    }

    /// <summary>The s of decimal(p,s); 0 when absent.</summary>
    public static int DecimalScale(string athenaType)
    {
        var comma = athenaType.IndexOf(',');
        var close = athenaType.IndexOf(')');
        return comma > 0 && close > comma
               && int.TryParse(athenaType.AsSpan(comma + 1, close - comma - 1), NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out var s)
            ? s : 0;
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
