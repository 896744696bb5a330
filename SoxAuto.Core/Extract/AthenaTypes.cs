using System.Globalization;

namespace SoxAuto.Core.Extract;

/// <summary>How a column's values are read, from its Athena type name.</summary>
public enum ValueKind { Integer, Decimal, Double, Date, Timestamp, Boolean, Text }

/// <summary>Athena's type names (as a result's columns carry them) and the kind of value each holds.</summary>
public static class AthenaTypes
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
}
