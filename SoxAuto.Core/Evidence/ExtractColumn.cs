using System.Globalization;
using SoxAuto.Core.Evidence.Workbook;
using SoxAuto.Core.Extract;

namespace SoxAuto.Core.Evidence;

/// <summary>
/// One column of the extract: how each value becomes a workbook cell, and the figures the Columns
/// sheet shows (NULLs, min, max, exact sum). Each value is parsed once, for both.
/// </summary>
internal sealed class ExtractColumn
{
    /// <summary>Excel keeps 15 significant digits; a number with more would silently change.</summary>
    public const int ExcelDigits = 15;

    private static readonly DateOnly ExcelEpoch = new(1899, 12, 30);
    private static readonly DateOnly FirstExcelDate = new(1900, 3, 1); // before it, Excel's 1900 leap-year bug shifts serials

    private readonly int _style;
    private readonly ExactSum? _sum;
    private ExactNumber _minNumber, _maxNumber;
    private Int128 _minTime, _maxTime; // day number x 86,400e9 + nanoseconds of the day
    private byte[]? _minText, _maxText;
    private bool _seen;

    // Values written as text although the column's type is not text, by reason.
    private long _tooPrecise, _notOfType, _outsideExcelDates, _subMillisecond, _notFinite, _cut;

    public ExtractColumn(string name, string athenaType, Styles styles)
    {
        Name = name;
        AthenaType = athenaType;
        Kind = AthenaTypes.KindOf(athenaType);
        _style = Kind switch
        {
            ValueKind.Date => Styles.Date,
            ValueKind.Timestamp => Styles.Timestamp,
            ValueKind.Decimal => styles.ForDecimalScale(AthenaTypes.DecimalScale(athenaType)),
            _ => Styles.Plain,
        };
        if (Kind is ValueKind.Integer or ValueKind.Decimal or ValueKind.Double) _sum = new ExactSum();
    }

    public string Name { get; }
    public string AthenaType { get; }
    public ValueKind Kind { get; }
    public long Nulls { get; private set; }

    /// <summary>A width (in characters) that fits the header and typical values.</summary>
    public double Width
    {
        get
        {
            double typical = Kind switch
            {
                ValueKind.Date => 11,
                ValueKind.Timestamp => 23,
                ValueKind.Boolean => 8,
                ValueKind.Integer => 12,
                ValueKind.Decimal or ValueKind.Double => 16,
                _ => 24,
            };
            return Math.Min(60, Math.Max(typical, Name.Length + 3)); // + room for the filter button
        }
    }

    /// <summary>Writes the value as a cell (NULL writes none) and adds it to the figures. Without a
    /// sheet (the workbook holds no data) only the figures are kept.</summary>
    public void Take(IExtractRow row, int column, WorksheetXml? sheet)
    {
        if (row.IsNull(column))
        {
            Nulls++;
            return;
        }
        var value = row.Value(column);
        switch (Kind)
        {
            case ValueKind.Integer:
            case ValueKind.Decimal:
            case ValueKind.Double:
                TakeNumber(value, column, sheet);
                break;
            case ValueKind.Date:
                if (!AthenaValueText.TryParseDate(value, out var date)) { AsText(ref _notOfType, value, column, sheet); break; }
                TakeTime(date, 0, value, column, sheet);
                break;
            case ValueKind.Timestamp:
                if (!AthenaValueText.TryParseTimestamp(value, out var day, out var nanos)) { AsText(ref _notOfType, value, column, sheet); break; }
                TakeTime(day, nanos, value, column, sheet);
                break;
            case ValueKind.Boolean:
                if (value.SequenceEqual("true"u8)) TakeBoolean(true, column, sheet);
                else if (value.SequenceEqual("false"u8)) TakeBoolean(false, column, sheet);
                else AsText(ref _notOfType, value, column, sheet);
                break;
            default:
                TakeText(value);
                if (sheet?.Utf8Text(column, value) == true) _cut++;
                break;
        }
    }

    private void TakeNumber(ReadOnlySpan<byte> value, int column, WorksheetXml? sheet)
    {
        var isDouble = Kind == ValueKind.Double;
        var d = 0.0;
        if (isDouble && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out d) && !double.IsFinite(d))
        {
            AsText(ref _notFinite, value, column, sheet); // NaN, Infinity: no Excel number can show them
            return;
        }
        if (!ExactNumber.TryParse(value, allowExponent: isDouble, out var n, out var digits))
        {
            AsText(ref _notOfType, value, column, sheet);
            return;
        }
        if (!_seen || ExactNumber.Compare(n, _minNumber) < 0) _minNumber = n;
        if (!_seen || ExactNumber.Compare(n, _maxNumber) > 0) _maxNumber = n;
        _seen = true;
        _sum!.Add(n);
        if (isDouble)
            sheet?.Number(column, d, _style); // the source is a double: an Excel number holds it as it is
        else if (digits > ExcelDigits)
            AsText(ref _tooPrecise, value, column, sheet);
        else
            sheet?.Number(column, value, _style);
    }

    private void TakeTime(DateOnly day, long nanosOfDay, ReadOnlySpan<byte> value, int column, WorksheetXml? sheet)
    {
        var key = (Int128)day.DayNumber * 86_400_000_000_000 + nanosOfDay;
        if (!_seen || key < _minTime) _minTime = key;
        if (!_seen || key > _maxTime) _maxTime = key;
        _seen = true;
        if (day < FirstExcelDate) AsText(ref _outsideExcelDates, value, column, sheet);
        else if (nanosOfDay % 1_000_000 != 0) AsText(ref _subMillisecond, value, column, sheet); // Excel shows milliseconds at most
        else if (Kind == ValueKind.Date) sheet?.Number(column, day.DayNumber - ExcelEpoch.DayNumber, _style); // a whole serial
        else sheet?.Number(column, day.DayNumber - ExcelEpoch.DayNumber + nanosOfDay / 1_000_000 / 86_400_000.0, _style);
    }

    private void TakeBoolean(bool value, int column, WorksheetXml? sheet)
    {
        var key = value ? 1 : 0;
        if (!_seen || key < _minTime) _minTime = key;
        if (!_seen || key > _maxTime) _maxTime = key;
        _seen = true;
        sheet?.Boolean(column, value);
    }

    /// <summary>Text compares by Unicode code point (the byte order of UTF-8), like SQL's binary collation.</summary>
    private void TakeText(ReadOnlySpan<byte> value)
    {
        if (_minText is null || value.SequenceCompareTo(_minText) < 0) _minText = value.ToArray();
        if (_maxText is null || value.SequenceCompareTo(_maxText) > 0) _maxText = value.ToArray();
    }

    private void AsText(ref long reason, ReadOnlySpan<byte> value, int column, WorksheetXml? sheet)
    {
        reason++;
        if (sheet?.Utf8Text(column, value) == true) _cut++;
    }

    /// <param name="cellsInWorkbook">False when the workbook holds no data sheets: then no value is
    /// "text in the workbook".</param>
    public ColumnProfile Profile(bool cellsInWorkbook)
    {
        string? min = null, max = null;
        if (_seen)
        {
            (min, max) = Kind switch
            {
                ValueKind.Integer or ValueKind.Decimal or ValueKind.Double => (_minNumber.ToString(), _maxNumber.ToString()),
                ValueKind.Date => (DateText(_minTime), DateText(_maxTime)),
                ValueKind.Timestamp => (TimestampText(_minTime), TimestampText(_maxTime)),
                ValueKind.Boolean => (_minTime == 1 ? "true" : "false", _maxTime == 1 ? "true" : "false"),
                _ => (null, null),
            };
        }
        if (Kind == ValueKind.Text && _minText is not null)
            (min, max) = (System.Text.Encoding.UTF8.GetString(_minText), System.Text.Encoding.UTF8.GetString(_maxText!));
        var sum = _sum?.ToString();
        if (Kind == ValueKind.Double) (min, max, sum) = (Trim(min), Trim(max), Trim(sum)); // a double's printed scale means nothing
        var textInWorkbook = cellsInWorkbook && _tooPrecise + _notOfType + _outsideExcelDates + _subMillisecond + _notFinite > 0;
        return new ColumnProfile(Name, AthenaType, Nulls, min, max, sum, textInWorkbook);
    }

    /// <summary>Why some values of this column are text in the workbook, and which are left out of
    /// the figures, for the Columns sheet. Without data sheets only the latter is said.</summary>
    public string Note(bool cellsInWorkbook)
    {
        var notes = new List<string>();
        void Add(long n, string why) { if (n > 0) notes.Add(string.Create(CultureInfo.InvariantCulture, $"{n:N0} {why}")); }
        var asText = cellsInWorkbook ? "written as text and " : "";
        if (cellsInWorkbook)
            Add(_tooPrecise, $"value(s) have more than {ExcelDigits} significant digits, which an Excel number cannot hold: written as text with every digit");
        Add(_notOfType, $"value(s) are not valid {AthenaType} text: {asText}left out of min, max and sum");
        if (cellsInWorkbook)
        {
            Add(_outsideExcelDates, "value(s) fall before 1900-03-01, which Excel cannot show as dates: written as text");
            Add(_subMillisecond, "value(s) have digits below the millisecond, which Excel cannot show: written as text");
        }
        Add(_notFinite, $"value(s) are NaN or Infinity: {asText}left out of min, max and sum");
        if (cellsInWorkbook)
            Add(_cut, $"value(s) exceed Excel's {ExcelLimits.CellCharacters:N0} characters per cell: cut in the workbook (the extract keeps them whole)");
        return string.Join("; ", notes);
    }

    private static string? Trim(string? number)
        => number is null || !number.Contains('.', StringComparison.Ordinal) ? number : number.TrimEnd('0').TrimEnd('.');

    private static string DateText(Int128 key) => DateOnly.FromDayNumber((int)(key / 86_400_000_000_000)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string TimestampText(Int128 key)
        => AthenaValueText.FormatTimestamp(DateOnly.FromDayNumber((int)(key / 86_400_000_000_000)), (long)(key % 86_400_000_000_000));
}
