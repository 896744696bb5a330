using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using SoxAuto.Core.Checks;
using SoxAuto.Core.Evidence;

namespace SoxAuto.Tests.Core.Evidence;

/// <summary>Extracts beyond one Excel sheet (the real limit, 1,048,576 rows) and beyond the workbook
/// cap (SoxAuto:MaxWorkbookRows, a small cap here).</summary>
public sealed class WorkbookSizeLimitTests : IDisposable
{
    private readonly EvidenceTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Data_holds_1048575_rows_under_its_header_and_the_next_rows_continue_on_Data_2()
    {
        const long rows = 1_048_575 + 3;
        var source = new SyntheticExtract("\"n\"", rows, i => $"\"{i}\"");
        var result = await new EvidenceWriter().WriteAsync(_kit.Request(), EvidenceTestKit.Result(source, ("n", "bigint")), EvidenceTestKit.Checks(), null, CancellationToken.None);

        Assert.Equal((rows, 2), (result.RowCount, result.DataSheets));
        Assert.Equal(CheckStatus.Passed, result.Checks[0].Status);
        using var document = SpreadsheetDocument.Open(_kit.WorkbookPath, isEditable: false);
        var data = ReadSheet(document, "Data", 2, 1_048_576);
        Assert.Equal(1_048_576, data.Rows); // Excel's limit: the header and 1,048,575 data rows
        Assert.Equal(1_048_576, data.LastRowNumber);
        Assert.Equal(("1", "1048575"), (data.Values[2], data.Values[1_048_576]));
        var data2 = ReadSheet(document, "Data 2", 2, 4);
        Assert.Equal((4, 4), (data2.Rows, data2.LastRowNumber));
        Assert.Equal(("1048576", "1048578"), (data2.Values[2], data2.Values[4]));
    }

    [Fact]
    public async Task Above_the_workbook_cap_the_workbook_has_no_data_sheets_and_names_the_extract_as_the_complete_data()
    {
        var csv = new StringBuilder("\"n\",\"amount\"\n");
        for (var i = 1; i <= 25; i++)
            csv.Append(CultureInfo.InvariantCulture, $"\"{(i == 3 ? "n/a" : i)}\",\"{(i == 7 ? "12345678901234567.89" : $"{i}.01")}\"\n");

        var result = await _kit.WriteAsync(csv.ToString(), [("n", "integer"), ("amount", "decimal(18,2)")], maxRowsPerSheet: 4, maxWorkbookRows: 10);

        Assert.Equal((25L, 0), (result.RowCount, result.DataSheets));
        Assert.Equal(Encoding.UTF8.GetBytes(csv.ToString()), await File.ReadAllBytesAsync(_kit.ExtractPath)); // the complete data
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Equal(["Evidence", "Query", "Checks", "Columns"], book.SheetNames);
        Assert.Empty(new OpenXmlValidator().Validate(book.WorkbookPart.OpenXmlPackage));

        var dataSheets = EvidenceLine(book, "Data sheets");
        Assert.StartsWith("None. The extract has 25 rows, more than the 10 rows a workbook holds here (SoxAuto:MaxWorkbookRows).", dataSheets);
        Assert.Contains($"the extract file IPE_09_2025-09_run-12.csv (SHA-256 {result.ExtractSha256})", dataSheets);

        var completeness = result.Checks[0];
        Assert.Equal((CheckStatus.NotRun, "25"), (completeness.Status, completeness.Expected));
        Assert.Equal("Not run", WorkbookReadBack.Text(book.Cell("Checks", "B2")));

        // The figures cover every row; no value is "text in the workbook" when the workbook has no cells.
        var (n, amount) = (result.Columns[0], result.Columns[1]);
        Assert.Equal(("322", "12345678901234886.13"), (n.Sum, amount.Sum));
        Assert.False(n.TextInWorkbook || amount.TextInWorkbook);
        Assert.Equal("1 value(s) are not valid integer text: left out of min, max and sum", WorkbookReadBack.Text(book.Cell("Columns", "G2")));
        Assert.Equal("", WorkbookReadBack.Text(book.Cell("Columns", "G3"))); // 17 digits, yet no cell to note
    }

    [Fact]
    public async Task At_exactly_the_workbook_cap_the_data_sheets_are_kept()
    {
        var csv = "\"n\"\n" + string.Concat(Enumerable.Range(1, 10).Select(i => $"\"{i}\"\n"));

        var result = await _kit.WriteAsync(csv, [("n", "integer")], maxRowsPerSheet: 4, maxWorkbookRows: 10);

        Assert.Equal(3, result.DataSheets);
        Assert.Equal(CheckStatus.Passed, result.Checks[0].Status);
        using var book = new WorkbookReadBack(_kit.WorkbookPath);
        Assert.Equal(["Evidence", "Query", "Data", "Data 2", "Data 3", "Checks", "Columns"], book.SheetNames);
    }

    private static string? EvidenceLine(WorkbookReadBack book, string label)
        => book.Rows("Evidence").Select(r => r.Elements<Cell>().ToArray())
            .Where(c => WorkbookReadBack.Text(c[0]) == label).Select(c => WorkbookReadBack.Text(c[1])).Single();

    /// <summary>A sheet's rows, streamed: the part found through DocumentFormat.OpenXml's package,
    /// its XML read with a forward-only XmlReader (OpenXml's DOM would hold a million rows; its SAX
    /// reader took seconds). For the rows asked for, the value of the first cell.</summary>
    private static (long Rows, long LastRowNumber, Dictionary<long, string?> Values) ReadSheet(SpreadsheetDocument document, string name, params long[] rowsToRead)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
        using var xml = XmlReader.Create(workbook.GetPartById(sheet.Id!).GetStream());
        const string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        long rows = 0, last = 0;
        var values = new Dictionary<long, string?>();
        while (xml.ReadToFollowing("row", ns))
        {
            rows++;
            last = long.Parse(xml.GetAttribute("r")!, CultureInfo.InvariantCulture);
            if (rowsToRead.Contains(last) && xml.ReadToDescendant("v", ns)) values[last] = xml.ReadElementContentAsString();
        }
        return (rows, last, values);
    }
}
