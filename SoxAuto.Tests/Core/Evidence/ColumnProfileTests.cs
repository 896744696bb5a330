using System.Numerics;
using System.Text;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>The Columns sheet's figures: NULLs, min, max and exact sums.</summary>
public sealed class ColumnProfileTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private async Task<ColumnProfile> Profile(string type, params string?[] values)
    {
        var csv = new StringBuilder("\"v\"\n");
        foreach (var v in values) csv.Append(v is null ? "\n" : $"\"{v}\"\n");
        var result = await _kit.WriteAsync(csv.ToString(), [("v", type)]);
        return result.Columns.Single();
    }

    [Fact]
    public async Task Integers_compare_numerically_not_as_text()
    {
        var p = await Profile("bigint", "9", "10", "-11", null, "2");
        Assert.Equal(("-11", "10", "10", 1L), (p.Min, p.Max, p.Sum, p.Nulls));
    }

    [Fact]
    public async Task Decimal_sums_keep_every_digit()
    {
        var p = await Profile("decimal(18,2)", "0.10", "0.20", "0.30", "-1000000.01");
        Assert.Equal("-999999.41", p.Sum);
        Assert.Equal("-1000000.01", p.Min);
        Assert.Equal("0.30", p.Max);
    }

    [Fact]
    public async Task Decimal_sums_beyond_128_bits_stay_exact()
    {
        var big = "99999999999999999999999999999999999.99"; // decimal(37,2), near Int128's limit
        var p = await Profile("decimal(37,2)", big, big, big, "0.01");
        var expected = BigInteger.Parse("9999999999999999999999999999999999999") * 3 + 1;
        Assert.Equal(expected.ToString()[..^2] + "." + expected.ToString()[^2..], p.Sum);
        Assert.True(p.TextInWorkbook);
    }

    [Fact]
    public async Task Doubles_sum_the_values_as_printed_in_the_extract()
    {
        var p = await Profile("double", "0.1", "0.2", "1.0E-3", "NaN");
        Assert.Equal("0.301", p.Sum); // a double sum would give 0.30100000000000005
        Assert.Equal(("0.001", "0.2"), (p.Min, p.Max));
        Assert.True(p.TextInWorkbook); // NaN is text
    }

    [Fact]
    public async Task Dates_and_timestamps_compare_chronologically()
    {
        var d = await Profile("date", "2025-09-10", "2024-12-31", "2025-01-02");
        Assert.Equal(("2024-12-31", "2025-09-10", null), (d.Min, d.Max, d.Sum));
        var t = await Profile("timestamp", "2025-09-10 08:00:00.5", "2025-09-10 07:59:59.999", "2025-09-10 08:00:00.000001");
        Assert.Equal(("2025-09-10 07:59:59.999", "2025-09-10 08:00:00.500"), (t.Min, t.Max));
        Assert.True(t.TextInWorkbook); // the microsecond value cannot be shown by Excel
    }

    [Fact]
    public async Task Text_compares_by_code_point()
    {
        var p = await Profile("varchar", "b", "B", "é", "", "a");
        Assert.Equal(("", "é"), (p.Min, p.Max));
        Assert.Null(p.Sum);
        Assert.False(p.TextInWorkbook);
    }

    [Fact]
    public async Task Values_not_of_the_column_type_are_text_and_left_out_of_the_figures()
    {
        var p = await Profile("integer", "1", "n/a", "2");
        Assert.Equal(("1", "2", "3"), (p.Min, p.Max, p.Sum));
        Assert.True(p.TextInWorkbook);
    }

    [Fact]
    public async Task Fifteen_significant_digits_are_a_number_sixteen_are_text()
    {
        var csv = "\"v\"\n\"123456789012345\"\n\"1234567890123456\"\n\"100000000000000000000\"\n";
        await _kit.WriteAsync(csv, [("v", "decimal(38,0)")]);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Null(book.Cell("Data", "A2")!.DataType);
        Assert.Equal(DocumentFormat.OpenXml.Spreadsheet.CellValues.InlineString, book.Cell("Data", "A3")!.DataType!.Value);
        Assert.Null(book.Cell("Data", "A4")!.DataType); // 1E+20 has one significant digit
    }
}
