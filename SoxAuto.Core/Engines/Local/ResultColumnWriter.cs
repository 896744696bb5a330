using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Engines.Local;

/// <summary>
/// One result column of a DuckDB reader: its Athena type name, and how its values are printed into the
/// CSV. Numbers and dates are formatted into a scratch buffer, so a million rows allocate little.
/// </summary>
internal sealed partial class ResultColumnWriter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private enum Kind { Text, Boolean, SByte, Int16, Int32, Int64, Byte, UInt16, UInt32, UInt64, BigInteger, Real, Double, Decimal, Date, Timestamp, TimestampTz, Time, Uuid, Blob, Other }

    private readonly Kind _kind;
    private readonly string? _format;

    private ResultColumnWriter(ResultColumn column, Kind kind, string? format = null)
    {
        Column = column;
        _kind = kind;
        _format = format;
    }

    public ResultColumn Column { get; }

    /// <param name="duckTypes">The DuckDB type of each column as DESCRIBE gives it (for decimals' precision and scale).</param>
    public static IReadOnlyList<ResultColumnWriter> For(DuckDBDataReader reader, IReadOnlyList<string> duckTypes)
    {
        var columns = new List<ResultColumnWriter>(reader.FieldCount);
        for (int i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            var duck = reader.GetDataTypeName(i);
            columns.Add(duck switch
            {
                "Varchar" or "Enum" => new(new(name, "varchar"), Kind.Text),
                "Boolean" => new(new(name, "boolean"), Kind.Boolean),
                "TinyInt" => new(new(name, "tinyint"), Kind.SByte),
                "SmallInt" => new(new(name, "smallint"), Kind.Int16),
                "Integer" => new(new(name, "integer"), Kind.Int32),
                "BigInt" => new(new(name, "bigint"), Kind.Int64),
                // DuckDB sums integers into HUGEINT where Trino gives bigint; unsigned types do not exist in Trino.
                "HugeInt" => new(new(name, "bigint"), Kind.BigInteger),
                "UnsignedTinyInt" => new(new(name, "smallint"), Kind.Byte),
                "UnsignedSmallInt" => new(new(name, "integer"), Kind.UInt16),
                "UnsignedInteger" => new(new(name, "bigint"), Kind.UInt32),
                "UnsignedBigInt" => new(new(name, "decimal(20,0)"), Kind.UInt64),
                "UnsignedHugeInt" => new(new(name, "decimal(38,0)"), Kind.BigInteger),
                "Float" => new(new(name, "real"), Kind.Real),
                "Double" => new(new(name, "double"), Kind.Double),
                "Decimal" => Decimal(name, i < duckTypes.Count ? duckTypes[i] : ""),
                "Date" => new(new(name, "date"), Kind.Date),
                "Timestamp" or "TimestampS" or "TimestampMs" or "TimestampNs" => new(new(name, "timestamp"), Kind.Timestamp),
                "TimestampTz" => new(new(name, "timestamp with time zone"), Kind.TimestampTz),
                "Time" => new(new(name, "time"), Kind.Time),
                "Uuid" => new(new(name, "uuid"), Kind.Uuid),
                "Blob" => new(new(name, "varbinary"), Kind.Blob),
                _ => new(new(name, "varchar"), Kind.Other),
            });
        }
        return columns;
    }

    private static ResultColumnWriter Decimal(string name, string duckType)
    {
        var m = DecimalType().Match(duckType);
        if (!m.Success)
            throw new EngineException($"The local engine could not tell the precision and scale of decimal column {name} ({duckType}).");
        var (precision, scale) = (int.Parse(m.Groups[1].Value, Inv), int.Parse(m.Groups[2].Value, Inv));
        return new(new(name, $"decimal({precision},{scale})"), Kind.Decimal, "F" + scale.ToString(Inv));
    }

    [GeneratedRegex(@"^DECIMAL\((\d+),\s*(\d+)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex DecimalType();

    /// <summary>Writes the value of this column in the reader's current row. <paramref name="scratch"/> holds
    /// at least 64 characters.</summary>
    public void Write(DuckDBDataReader r, int i, AthenaCsvWriter w, Span<char> scratch)
    {
        if (r.IsDBNull(i))
        {
            w.WriteNull();
            return;
        }
        int n;
        switch (_kind)
        {
            case Kind.Text: w.WriteField(r.GetString(i)); return;
            case Kind.Boolean: w.WriteField(r.GetBoolean(i) ? "true" : "false"); return;
            case Kind.SByte: r.GetFieldValue<sbyte>(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.Int16: r.GetInt16(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.Int32: r.GetInt32(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.Int64: r.GetInt64(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.Byte: r.GetByte(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.UInt16: r.GetFieldValue<ushort>(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.UInt32: r.GetFieldValue<uint>(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.UInt64: r.GetFieldValue<ulong>(i).TryFormat(scratch, out n, default, Inv); break;
            case Kind.BigInteger: w.WriteField(r.GetFieldValue<System.Numerics.BigInteger>(i).ToString(Inv)); return;
            case Kind.Real: w.WriteField(AthenaValueText.Real(r.GetFloat(i))); return;
            case Kind.Double: w.WriteField(AthenaValueText.Double(r.GetDouble(i))); return;
            case Kind.Decimal: ReadDecimal(r, i).TryFormat(scratch, out n, _format, Inv); break;
            case Kind.Date: r.GetFieldValue<DateOnly>(i).TryFormat(scratch, out n, "yyyy-MM-dd", Inv); break;
            case Kind.Timestamp: r.GetDateTime(i).TryFormat(scratch, out n, "yyyy-MM-dd HH:mm:ss.fff", Inv); break;
            // The session's time zone is UTC, so the instant is printed in UTC, as Athena would print it.
            case Kind.TimestampTz: r.GetDateTime(i).TryFormat(scratch, out n, "yyyy-MM-dd HH:mm:ss.fff 'UTC'", Inv); break;
            case Kind.Time: r.GetFieldValue<TimeOnly>(i).TryFormat(scratch, out n, "HH:mm:ss.fff", Inv); break;
            case Kind.Uuid: r.GetGuid(i).TryFormat(scratch, out n, "D"); break;
            case Kind.Blob: w.WriteField(Hex(r.GetStream(i))); return;
            default: w.WriteField(Text(r.GetValue(i))); return;
        }
        w.WriteField(scratch[..n]);
    }

    private decimal ReadDecimal(DuckDBDataReader r, int i)
    {
        try
        {
            return r.GetDecimal(i);
        }
        catch (OverflowException)
        {
            throw new EngineException(
                $"Column {Column.Name} holds a decimal with more than 28 significant digits, which the local engine cannot print exactly; cast it to a smaller decimal in the SQL.");
        }
    }

    /// <summary>Athena prints varbinary as hex bytes separated by spaces.</summary>
    private static string Hex(Stream s)
    {
        using var m = new MemoryStream();
        s.CopyTo(m);
        return string.Join(' ', m.ToArray().Select(b => b.ToString("x2", Inv)));
    }

    /// <summary>Lists and maps (rare in IPE results) in Trino's layout: [a, b] and {k=v}.</summary>
    private static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => AthenaValueText.Date(d),
        DateTime t => AthenaValueText.Timestamp(t),
        double d => AthenaValueText.Double(d),
        float f => AthenaValueText.Real(f),
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => Text(k) + "=" + Text(map[k]))) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };
}
