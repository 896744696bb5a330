using System.Text;
using DocumentFormat.OpenXml.Spreadsheet;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>Decimals keep every digit in the extract and the control figures; a workbook cell holds
/// text where an Excel number (15 significant digits, a double) would change the value.</summary>
public sealed class PrecisionTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Decimals_and_large_integers_keep_every_digit_in_the_extract_the_figures_and_the_workbook()
    {
        const string csv = "\"amount\",\"entry_no\"\n"
            + "\"123456789012345678.1234567890\",\"9007199254740993\"\n" // 28 digits; 2^53 + 1
            + "\"-0.0000000001\",\"123456789012345\"\n"                    // 15 digits: a number
            + "\"1.5000000000\",\"9007199254740992\"\n";                   // 2^53 itself has 16 digits: text
        (string, string)[] columns = [("amount", "decimal(38,10)"), ("entry_no", "bigint")];

        var result = await _kit.WriteAsync(csv, columns);

        Assert.Equal(Encoding.UTF8.GetBytes(csv), await File.ReadAllBytesAsync(_kit.ExtractPath));
        var amount = result.Columns[0];
        Assert.Equal(("123456789012345679.6234567889", "-0.0000000001", "123456789012345678.1234567890"), (amount.Sum, amount.Min, amount.Max));
        Assert.True(amount.TextInWorkbook);
        var entry = result.Columns[1];
        Assert.Equal("18137855298494330", entry.Sum); // 2^54 + 1 + 123456789012345
        Assert.True(entry.TextInWorkbook);

        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        AssertText(book, "A2", "123456789012345678.1234567890");
        AssertText(book, "B2", "9007199254740993");
        AssertText(book, "B4", "9007199254740992");
        AssertNumber(book, "A3", "-0.0000000001");
        AssertNumber(book, "B3", "123456789012345");
        AssertNumber(book, "A4", "1.5000000000");
        Assert.Equal("123456789012345679.6234567889", WorkbookReadBack.Text(book.Cell("Columns", "F2"))); // Sum, as text
        Assert.StartsWith("1 value(s) have more than 15 significant digits", WorkbookReadBack.Text(book.Cell("Columns", "G2")));
        Assert.StartsWith("2 value(s) have more than 15 significant digits", WorkbookReadBack.Text(book.Cell("Columns", "G3")));
    }

    private static void AssertText(WorkbookReadBack book, string cell, string expected)
    {
        var c = book.Cell("Data", cell)!;
        Assert.Equal(CellValues.InlineString, c.DataType!.Value);
        Assert.Equal(expected, WorkbookReadBack.Text(c));
    }

    private static void AssertNumber(WorkbookReadBack book, string cell, string expected)
    {
        var c = book.Cell("Data", cell)!;
        Assert.Null(c.DataType);
        Assert.Equal(expected, c.CellValue!.Text);
    }
}
